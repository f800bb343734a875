"""Start the Magistral Debugger web UI: ``python app.py`` (settings from MAGISTRAL_* and .env)."""

from magistral_debugger.ui import launch

if __name__ == "__main__":
    launch()
