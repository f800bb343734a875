"""The official system prompts, the user templates and the examples gallery, shipped as package data."""
