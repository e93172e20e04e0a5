"""The benchmarks `make bench` prints: `run` (setup cost, kernel memory, notebook and slide build
times, the hub simulation) and `grading` (grading a class of synthetic notebooks). Measurements,
not tests; nothing imports them but the command line."""
