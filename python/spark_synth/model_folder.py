"""Reads a model folder (`model.json` + `weights.bin`) as `src/core/model/modelFolder.ts` writes it."""

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from .json_schema import SchemaViolation, load_schemas, validate

MODEL_FORMAT = "spark-synth-model"
MODEL_VERSION = 1
# What a model saved before manifests recorded `sampler` samples with (docs/model-format.md).
DEFAULT_SAMPLER = {"chunkRows": 1024, "offsetClip": 0.99}
MODEL_SCHEMA_ID = "https://spark-synth.dev/schemas/model.schema.json"


class ModelFolderError(ValueError):
    """The folder is not a model this package can read: not a model, another format version, or damaged."""


@dataclass(frozen=True)
class ModelFolder:
    manifest: dict
    weights: dict  # name -> float32 array of the manifest's shape

    @property
    def encoding(self):
        return self.manifest["encoding"]

    @property
    def plans(self):
        return self.manifest["plans"]

    @property
    def metadata(self):
        return self.manifest["metadata"]

    @property
    def hidden(self):
        return list(self.manifest["model"]["hidden"])

    @property
    def sampler(self):
        return self.manifest.get("sampler", DEFAULT_SAMPLER)

    @property
    def network(self):
        """The recorded wiring, or None for a model saved before manifests recorded it."""
        return self.manifest.get("network")

    @property
    def seed(self):
        return self.manifest["seed"]


@lru_cache(maxsize=1)
def schemas():
    return load_schemas()


def load_model_folder(folder):
    """The manifest and the weights, refusing another format or version, a manifest its JSON Schema does not
    allow, and a weight count that does not add up."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / "model.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelFolderError(f"{folder}: no model.json here: this is not a Spark Synth model folder") from None
    if manifest.get("format") != MODEL_FORMAT or manifest.get("version") != MODEL_VERSION:
        raise ModelFolderError(f"{folder}: model format {manifest.get('format')} v{manifest.get('version')} is not {MODEL_FORMAT} v{MODEL_VERSION}")
    try:
        validate(manifest, schemas()[MODEL_SCHEMA_ID], schemas())
    except SchemaViolation as error:
        raise ModelFolderError(f"{folder}: model.json at {error} (docs/model-format.md)") from None
    try:
        raw = (folder / "weights.bin").read_bytes()
    except FileNotFoundError:
        raise ModelFolderError(f"{folder}: weights.bin is missing") from None
    if len(raw) % 4:
        raise ModelFolderError(f"{folder}: weights.bin holds {len(raw)} bytes, not a whole number of float32 values")
    values = np.frombuffer(raw, dtype="<f4")
    weights = {}
    offset = 0
    for entry in manifest["weights"]:
        shape = tuple(entry["shape"])
        size = int(np.prod(shape, dtype=np.int64))
        weights[entry["name"]] = values[offset : offset + size].reshape(shape)
        offset += size
    if offset != values.size:
        raise ModelFolderError(f"{folder}: weights.bin holds {values.size} values where the manifest lists {offset}")
    return ModelFolder(manifest, weights)
