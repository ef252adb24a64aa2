"""Reports of a run: terminal, JUnit XML and HTML, all written from one `RunSummary`."""
