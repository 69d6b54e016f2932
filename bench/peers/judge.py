"""One judge for every synthesizer: SDMetrics' own reports, train-synthetic-test-real with one
classifier, and distance to closest record against an equal-size holdout.

Every figure compares the same rows for every synthesizer: the train split (at most JUDGED_ROWS of it,
seeded) against as many synthetic rows.
"""

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import f1_score, roc_auc_score

JUDGED_ROWS = 20_000
DCR_ROWS = 2_000
SEED = 0


def sdmetrics_metadata(real):
    """Column sdtypes from the real table: numbers, datetimes, booleans, categories; strings unique on most rows are ids."""
    columns = {}
    for name, series in real.items():
        if pd.api.types.is_bool_dtype(series):
            columns[name] = {"sdtype": "boolean"}
        elif pd.api.types.is_numeric_dtype(series):
            columns[name] = {"sdtype": "numerical"}
        elif pd.api.types.is_datetime64_any_dtype(series):
            columns[name] = {"sdtype": "datetime"}
        elif series.nunique() > 0.9 * series.notna().sum():
            columns[name] = {"sdtype": "id"}
        else:
            columns[name] = {"sdtype": "categorical"}
    return {"columns": columns}


def like_real(synthetic, real):
    """The synthetic rows in the real table's columns and dtypes (a synthesizer may return ints as floats, dates as text)."""
    out = pd.DataFrame(index=range(len(synthetic)))
    for name, series in real.items():
        values = synthetic[name] if name in synthetic else pd.Series([None] * len(synthetic))
        values = values.reset_index(drop=True)
        try:
            if pd.api.types.is_datetime64_any_dtype(series):
                values = pd.to_datetime(values, errors="coerce")
                if getattr(values.dt, "tz", None) is not None:
                    values = values.dt.tz_convert("UTC").dt.tz_localize(None)
                values = values.astype(series.dtype)
            elif pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
                values = pd.to_numeric(values, errors="coerce").astype("float64")
                if pd.api.types.is_integer_dtype(series) and values.notna().all():
                    values = values.round().astype(series.dtype)
            else:
                values = values.astype(object).where(values.notna(), None)
        except (TypeError, ValueError):
            pass
        out[name] = values
    return out


def subsample(frame, rows):
    return frame.sample(n=rows, random_state=SEED).reset_index(drop=True) if len(frame) > rows else frame.reset_index(drop=True)


def sdmetrics_scores(real, synthetic, metadata):
    from sdmetrics.reports.single_table import DiagnosticReport, QualityReport

    quality = QualityReport()
    quality.generate(real, synthetic, metadata, verbose=False)
    diagnostic = DiagnosticReport()
    diagnostic.generate(real, synthetic, metadata, verbose=False)
    scores = {row["Property"]: float(row["Score"]) for _, row in quality.get_properties().iterrows()}
    scores.update({row["Property"]: float(row["Score"]) for _, row in diagnostic.get_properties().iterrows()})
    return scores


def encoded_features(frame, reference, target):
    """Numbers as they are (dates as days), categories as codes of the reference's categories (unseen: missing)."""
    out = {}
    categorical = []
    for name, series in reference.items():
        if name == target:
            continue
        values = frame[name]
        if pd.api.types.is_datetime64_any_dtype(series):
            out[name] = values.astype("int64").where(values.notna()) / 86_400e9
        elif pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
            out[name] = values.astype("float64")
        else:
            categories = series.astype(str)[series.notna()].value_counts().index[:250]
            codes = pd.Categorical(values.astype(str).where(values.notna()), categories=categories).codes
            out[name] = np.where(codes < 0, np.nan, codes)
            categorical.append(len(out) - 1)
    return pd.DataFrame(out), categorical


def tstr(train_rows, holdout, real_train, target):
    """A classifier trained on `train_rows`, scored on the holdout: ROC AUC for two classes, macro-F1 for more."""
    labels = real_train[target].astype(str)
    classes = sorted(labels[real_train[target].notna()].unique())
    rows = train_rows[train_rows[target].notna() & train_rows[target].astype(str).isin(classes)]
    x, categorical = encoded_features(rows, real_train, target)
    x_test, _ = encoded_features(holdout, real_train, target)
    y = rows[target].astype(str)
    keep = holdout[target].notna()
    y_test = holdout[target].astype(str)[keep]
    if y.nunique() < 2:
        return 0.5 if len(classes) == 2 else 0.0
    model = HistGradientBoostingClassifier(random_state=SEED, categorical_features=categorical or None).fit(x, y)
    if len(classes) == 2:
        positive = classes[1]
        index = list(model.classes_).index(positive) if positive in model.classes_ else None
        scores = model.predict_proba(x_test[keep.to_numpy()])[:, index] if index is not None else np.zeros(keep.sum())
        return float(roc_auc_score(y_test == positive, scores))
    return float(f1_score(y_test, model.predict(x_test[keep.to_numpy()]), average="macro", labels=classes))


def gower_nearest(rows, pool, reference):
    """Per row of `rows`, its Gower distance to the nearest row of `pool` (numbers by the reference's range, categories 0/1, nulls equal)."""
    total = np.zeros((len(rows), len(pool)))
    for name, series in reference.items():
        a, b = rows[name], pool[name]
        if pd.api.types.is_numeric_dtype(series) or pd.api.types.is_datetime64_any_dtype(series):
            to_number = (lambda s: s.astype("int64").where(s.notna()).astype("float64")) if pd.api.types.is_datetime64_any_dtype(series) else (lambda s: s.astype("float64"))
            low, high = to_number(series).min(), to_number(series).max()
            span = (high - low) or 1.0
            x, y = to_number(a).to_numpy()[:, None], to_number(b).to_numpy()[None, :]
            d = np.abs(x - y) / span
            d = np.where(np.isnan(x) & np.isnan(y), 0.0, np.where(np.isnan(d), 1.0, np.minimum(d, 1.0)))
        else:
            x = a.astype(str).where(a.notna(), "\0null").to_numpy()[:, None]
            y = b.astype(str).where(b.notna(), "\0null").to_numpy()[None, :]
            d = (x != y).astype(float)
        total += d
    return total.min(axis=1) / len(reference.columns)


def privacy(synthetic, train, holdout):
    """Share of synthetic rows closer to a train row than to a holdout row (ties half each) with an equal-size
    train sample; exact copies of train rows, beside the holdout's own share of rows found in train."""
    size = min(len(holdout), DCR_ROWS)
    rows = subsample(synthetic, DCR_ROWS)
    to_train = gower_nearest(rows, subsample(train, size), train)
    to_holdout = gower_nearest(rows, subsample(holdout, size), train)
    closer = float(np.mean(np.where(to_train < to_holdout, 1.0, np.where(to_train == to_holdout, 0.5, 0.0))))
    key = lambda frame: frame.astype(str).agg("\x1f".join, axis=1)
    seen = set(key(train))
    copies = float(key(synthetic).isin(seen).mean())
    holdout_copies = float(key(holdout).isin(seen).mean())
    return {"closer_to_train": closer, "exact_copies": copies, "holdout_in_train": holdout_copies}


def judge(synthetic, train, holdout, target):
    """Every figure of one synthesizer's rows (already in the real table's columns and dtypes: `like_real`)."""
    real = subsample(train, JUDGED_ROWS)
    metadata = sdmetrics_metadata(train)
    scores = sdmetrics_scores(real, subsample(synthetic, len(real)), metadata)
    real_utility = tstr(train, holdout, train, target)
    utility = tstr(synthetic, holdout, train, target)
    return {
        "column_shapes": scores.get("Column Shapes"),
        "pair_trends": scores.get("Column Pair Trends"),
        "validity": scores.get("Data Validity"),
        "structure": scores.get("Data Structure"),
        "utility": utility,
        "utility_real": real_utility,
        "utility_ratio": utility / real_utility if real_utility else None,
        **privacy(synthetic, train, holdout),
    }
