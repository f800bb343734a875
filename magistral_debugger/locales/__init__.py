"""Each language's words: ``PAGE`` for the page, ``ENGINE`` for what the engine tells a person."""
