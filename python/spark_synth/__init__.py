"""The Spark side of Spark Synth.

`spark_synth.sampler.Synthesizer(model_folder).sample(rows, seed)` draws synthetic rows from a model
folder the way the TypeScript sampler does (numpy only, no TensorFlow), so that Spark executors can
generate them: see sampler.py for what matches exactly and what only within float32 rounding.
"""
