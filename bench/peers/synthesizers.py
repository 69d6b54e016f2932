"""The synthesizers the benchmark runs, each as `fit(train, workdir, settings)` then `sample(model, rows)`.

Peers run with their defaults unless the run says otherwise (`--epochs` caps CTGAN's and TVAE's
epochs, `--minutes` TabularARGN's training time); the settings used are written in the results.
Spark Synth runs through its CLI (`dist/cli.cjs`, built by `npm run build`), as a user runs it.
"""

import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[2]
CLI = ROOT / "dist" / "cli.cjs"
SEED = 0


def sdv_metadata(train):
    from sdv.metadata import Metadata

    return Metadata.detect_from_dataframes({"table": train})


class SdvPeer:
    def __init__(self, kind):
        self.kind = kind

    def fit(self, train, workdir, settings):
        from sdv.single_table import CTGANSynthesizer, GaussianCopulaSynthesizer, TVAESynthesizer

        synthesizer = {"GaussianCopula": GaussianCopulaSynthesizer, "CTGAN": CTGANSynthesizer, "TVAE": TVAESynthesizer}[self.kind]
        options = {"epochs": settings["epochs"]} if settings.get("epochs") and self.kind != "GaussianCopula" else {}
        model = synthesizer(sdv_metadata(train), **options)
        model.fit({"table": train})  # SDV 2 takes one table as a dict of one
        return model

    def sample(self, model, rows, workdir):
        return model.sample(num_rows=rows)["table"]


class TabularArgn:
    """MOSTLY AI's open-source engine (mostlyai-engine), through its scikit-learn style TabularARGN, on the CPU."""

    def fit(self, train, workdir, settings):
        from mostlyai.engine import TabularARGN

        options = {"max_training_time": settings["minutes"]} if settings.get("minutes") else {}
        model = TabularARGN(device="cpu", workspace_dir=Path(workdir) / "argn", random_state=SEED, **options)
        model.fit(train)
        return model

    def sample(self, model, rows, workdir):
        return model.sample(n_samples=rows)


def write_parquet_folder(frame, folder):
    """A frame as a Spark-style folder of one Parquet file, which Spark Synth reads."""
    Path(folder).mkdir(parents=True)
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), Path(folder) / "part-00000.parquet")


class SparkSynth:
    """`spark-synth train` on the train split written as Parquet (with `options`), then `spark-synth sample`."""

    def __init__(self, options=()):
        self.options = list(options)

    def fit(self, train, workdir, settings):
        source = Path(workdir) / "train"
        write_parquet_folder(train, source)
        model = Path(workdir) / "model"
        subprocess.run(["node", str(CLI), "train", str(source), "-o", str(model), "--rows", str(len(train)), *self.options], check=True, capture_output=True)
        return model

    def sample(self, model, rows, workdir):
        out = Path(workdir) / "synthetic"
        subprocess.run(["node", str(CLI), "sample", str(model), "-n", str(rows), "-o", str(out), "--seed", str(SEED), "--no-report"], check=True, capture_output=True)
        return pq.read_table(out / "data").to_pandas()


class Marginals:
    """Each column resampled on its own: the ceiling for column shapes, the floor for pair trends."""

    def fit(self, train, workdir, settings):
        return train

    def sample(self, train, rows, workdir):
        random = np.random.default_rng(SEED)
        return pd.DataFrame({c: train[c].to_numpy()[random.integers(0, len(train), rows)] for c in train.columns})


PEERS = {
    "spark-synth": SparkSynth(),
    # Value protection off, as SDV's synthesizers and the marginals run: values seen in fewer than 5 rows come out too.
    "spark-synth-unprotected": SparkSynth(["--rare-rows", "1"]),
    "GaussianCopula": SdvPeer("GaussianCopula"),
    "CTGAN": SdvPeer("CTGAN"),
    "TVAE": SdvPeer("TVAE"),
    "TabularARGN": TabularArgn(),
    "marginals": Marginals(),
}
