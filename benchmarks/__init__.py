"""The benchmark suite: ``python -m benchmarks`` prints every figure against its target."""
