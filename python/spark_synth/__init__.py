"""The Spark side of Spark Synth."""
