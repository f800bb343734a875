"""What is sent: the proof cut into steps, the official system prompts, a photo made fit to send."""
