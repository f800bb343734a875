"""One debugging run: the stream split into reasoning and answer, the verdict read, the run's state kept."""
