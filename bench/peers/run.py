"""The peers' benchmark: every synthesizer on every table, judged alike (`npm run bench:peers`).

    python bench/peers/run.py [--tables a,b] [--peers a,b] [--epochs N] [--minutes M]

Each (table, synthesizer) trains and samples in a child process of its own, so its wall times and
peak memory are its own; it samples as many rows as the train split holds. Results are merged into
bench/results/peers.json (a run replaces the entries it measured) and written out as
bench/results/peers.md.
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE.parent / "results"
sys.path.insert(0, str(HERE))

from judge import JUDGED_ROWS, judge, like_real  # noqa: E402
from synthesizers import CLI, PEERS, write_parquet_folder  # noqa: E402
from tables import TABLES  # noqa: E402


def child(table_name, peer_name, workdir, settings):
    """Trains and samples one synthesizer on one table; writes the synthetic rows and the wall times."""
    train, _ = TABLES[table_name]().split()
    peer = PEERS[peer_name]
    started = time.perf_counter()
    model = peer.fit(train, workdir, settings)
    trained = time.perf_counter()
    synthetic = peer.sample(model, len(train), workdir)
    sampled = time.perf_counter()
    synthetic.to_pickle(Path(workdir) / "synthetic.pkl")
    (Path(workdir) / "times.json").write_text(json.dumps({"train_seconds": trained - started, "sample_seconds": sampled - trained}))


def measure(table, peer_name, settings):
    """One (table, synthesizer) run in a child process: its figures, or the error it ended with."""
    import pandas as pd

    with tempfile.TemporaryDirectory(prefix="peers-") as workdir:
        log = Path(workdir) / "stderr.txt"
        with log.open("w") as stderr:
            process = subprocess.Popen([sys.executable, __file__, "--child", table.name, peer_name, workdir, json.dumps(settings)],
                                       stdout=subprocess.DEVNULL, stderr=stderr)
            # wait4 gives the child's peak resident set, its own or its children's (Spark Synth's CLI runs as one).
            _, status, usage = os.wait4(process.pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            lines = log.read_text().strip().splitlines()
            return {"error": lines[-1] if lines else f"exit {os.waitstatus_to_exitcode(status)}", "settings": settings}
        times = json.loads((Path(workdir) / "times.json").read_text())
        train, holdout = table.split()
        synthetic = like_real(pd.read_pickle(Path(workdir) / "synthetic.pkl"), train)
        ours = our_scores(synthetic, train, workdir) if len(train) <= JUDGED_ROWS else {}
    return {**times, **judge(synthetic, train, holdout, table.target), **ours, "peak_mb": usage.ru_maxrss / 1024, "settings": settings}


def our_scores(synthetic, train, workdir):
    """Spark Synth's own report (`spark-synth report`) on the rows SDMetrics judged: its column shapes and pair trends."""
    folder = Path(workdir) / "judged"
    for name, frame in (("real", train), ("synthetic", synthetic.iloc[: len(train)])):
        write_parquet_folder(frame, folder / name)
    subprocess.run(["node", str(CLI), "report", "--real", str(folder / "real"), "--synthetic", str(folder / "synthetic"), "-o", str(folder / "report")],
                   check=True, capture_output=True)
    scores = json.loads((folder / "report" / "quality-report.json").read_text())["scores"]
    return {"ours_column_shapes": scores["columnShapes"], "ours_pair_trends": scores["columnPairTrends"]}


OURS = "spark-synth"
# Value protection off: judged against the marginals, which resample every real value as SDV's peers may.
UNPROTECTED = "spark-synth-unprotected"
NOT_PEERS = (OURS, UNPROTECTED, "marginals")
CTGAN_DEFAULT_EPOCHS = 300


def summary_lines(results):
    """One row per table: Spark Synth's figures, the best peer's, and which of the issue's goals they meet."""
    lines = ["## Summary", "",
             "Goals: shapes, pairs and utility at least the best peer's; shapes at least independent marginals − 0.005 (judged without "
             "value protection, `--rare-rows 1`, as the marginals resample values seen once: with it a value seen in fewer than 5 rows "
             "is never generated, which costs the shapes of long-tailed columns by design, as MOSTLY AI's value protection does); "
             "closer to train ≤ 0.53; training at least 10× faster than CTGAN at its default 300 epochs (where it ran fewer, its time "
             "scaled to 300: an estimate). ✗ marks a goal missed.", "",
             "| table | marginals shapes / unprotected Spark Synth | Spark Synth shapes / pairs / utility / closer to train / train s | best peer: shapes | pairs | utility | CTGAN train s |",
             "|---|---|---|---|---|---|---|"]
    for name, table in results["tables"].items():
        peers = {p: r for p, r in table["peers"].items() if "error" not in r}
        ours, marginals, unprotected = peers.get(OURS), peers.get("marginals"), peers.get(UNPROTECTED)
        if not ours:
            continue
        others = {p: r for p, r in peers.items() if p not in NOT_PEERS}

        def best(metric):
            scored = [(r[metric], p) for p, r in others.items() if r.get(metric) is not None]
            return max(scored) if scored else (None, None)

        def mark(ok):
            return "" if ok else " ✗"

        cells = []
        for metric in ("column_shapes", "pair_trends", "utility_ratio"):
            value, peer = best(metric)
            cells.append((ours[metric], value, peer))
        like_marginals = unprotected or ours
        shapes_ok = marginals is None or like_marginals["column_shapes"] >= marginals["column_shapes"] - 0.005
        ctgan = peers.get("CTGAN")
        ctgan_default_seconds = ctgan and ctgan["train_seconds"] * CTGAN_DEFAULT_EPOCHS / (ctgan["settings"].get("epochs") or CTGAN_DEFAULT_EPOCHS)
        fast = ctgan is None or ours["train_seconds"] * 10 <= ctgan_default_seconds
        figures = " / ".join(
            [f"{cells[0][0]:.3f}{mark(cells[0][1] is None or cells[0][0] >= cells[0][1])}"]
            + [f"{v:.3f}{mark(b is None or v >= b)}" for v, b, _ in cells[1:]]
            + [f"{ours['closer_to_train']:.3f}{mark(ours['closer_to_train'] <= 0.53)}", f"{ours['train_seconds']:.0f}{mark(fast)}"])
        ctgan_text = "–" if ctgan is None else f"{ctgan['train_seconds']:.0f}" + (f" ({ctgan['settings']['epochs']} epochs)" if ctgan["settings"].get("epochs") else "")
        marginals_text = ("–" if marginals is None else f"{marginals['column_shapes']:.3f}") + (
            f" / {unprotected['column_shapes']:.3f}{mark(shapes_ok)}" if unprotected else mark(shapes_ok))
        lines.append(f"| {name} ({table['rows']:,} rows, {table['columns']} cols) | {marginals_text} | {figures} | "
                     + " | ".join("–" if b is None else f"{b:.3f} ({p})" for _, b, p in cells) + f" | {ctgan_text} |")
    return lines + [""]


def write_markdown(results):
    lines = [
        "# Spark Synth against its peers",
        "",
        f"Measured by `npm run bench:peers` on {results['machine']}. Every synthesizer trains on the same train split "
        "(80 %, shuffled with seed 0) and samples as many rows; SDMetrics' QualityReport and DiagnosticReport judge "
        f"at most 20,000 rows of each; train-synthetic-test-real uses one classifier (scikit-learn's "
        "HistGradientBoosting) for all, scored on the holdout (ROC AUC for two classes, macro-F1 for more) as a ratio "
        "to the same classifier trained on the real train split; closer to train is the share of 2,000 synthetic rows "
        "nearer (Gower distance) to a train row than to a holdout row, with as many of each (ties half); exact copies "
        "are synthetic rows equal to a train row, beside the holdout's own share of rows found in train. "
        "Where the train split has at most 20,000 rows, `spark-synth report` scores the same rows, and its column shapes and pair trends "
        "are shown as differences from SDMetrics'.",
        "",
    ]
    lines += summary_lines(results)
    for name, table in results["tables"].items():
        lines += [f"## {name}", "", f"{table['source']}: {table['rows']:,} rows, {table['columns']} columns; {table['spans']}. "
                  f"Utility predicts `{table['target']}` ({table['task']}).", "",
                  "| synthesizer | column shapes | pair trends | our report − SDMetrics | validity | structure | utility ratio | closer to train | exact copies (holdout in train) | train s | sample s | peak MB | date, settings |",
                  "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
        for peer, r in table["peers"].items():
            if "error" in r:
                lines.append(f"| {peer} | failed: {r['error']} ||||||||||| {r.get('date', '')} |")
                continue
            fig = lambda v, digits=3: "–" if v is None else f"{v:.{digits}f}"
            settings = ", ".join(f"{k} {v}" for k, v in r["settings"].items() if v) or "defaults"
            agreement = f"{r['ours_column_shapes'] - r['column_shapes']:+.3f} / {r['ours_pair_trends'] - r['pair_trends']:+.3f}" if "ours_column_shapes" in r else "–"
            lines.append(
                f"| {peer} | {fig(r['column_shapes'])} | {fig(r['pair_trends'])} | {agreement} | {fig(r['validity'])} | {fig(r['structure'])} | "
                f"{fig(r['utility_ratio'])} ({fig(r['utility'])} / {fig(r['utility_real'])}) | {fig(r['closer_to_train'])} | "
                f"{r['exact_copies']:.2%} ({r['holdout_in_train']:.2%}) | {r['train_seconds']:.1f} | {r['sample_seconds']:.1f} | "
                f"{r['peak_mb']:.0f} | {r['date']}, {settings} |"
            )
        lines.append("")
    (RESULTS / "peers.md").write_text("\n".join(lines))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tables", default=",".join(TABLES))
    parser.add_argument("--peers", default=",".join(PEERS))
    parser.add_argument("--epochs", type=int, default=None, help="cap CTGAN's and TVAE's epochs (default: theirs, 300)")
    parser.add_argument("--minutes", type=float, default=None, help="cap TabularARGN's training time")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        table_name, peer_name, workdir, settings = args.child
        return child(table_name, peer_name, workdir, json.loads(settings))
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / "peers.json"
    for table_name in args.tables.split(","):
        table = TABLES[table_name]()
        about = dict(source=table.source, spans=table.spans, target=table.target, rows=len(table.frame), columns=len(table.frame.columns),
                     task="ROC AUC" if table.frame[table.target].nunique() == 2 else "macro-F1")
        for peer_name in args.peers.split(","):
            settings = {"epochs": args.epochs} if peer_name in ("CTGAN", "TVAE") else {"minutes": args.minutes} if peer_name == "TabularARGN" else {}
            print(f"{table_name} · {peer_name} …", flush=True)
            result = {**measure(table, peer_name, settings), "date": date.today().isoformat()}
            print(f"{table_name} · {peer_name}: {json.dumps(result)}", flush=True)
            # Read again before writing: other runs of the benchmark may have added entries meanwhile.
            results = json.loads(path.read_text()) if path.exists() else {"tables": {}}
            results["machine"] = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
            entry = results["tables"].setdefault(table_name, {"peers": {}})
            entry.update(about)
            entry["peers"][peer_name] = result
            path.write_text(json.dumps(results, indent=2))
            write_markdown(results)

if __name__ == "__main__":
    main()
