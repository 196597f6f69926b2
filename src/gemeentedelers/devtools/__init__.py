"""Development tools, never deployed: the local cloud, the form-tool simulators, sample data, the demo and the
benchmarks."""
