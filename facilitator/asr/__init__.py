"""Speech recognition: model catalogue and install, the Vosk engine, live and batch runs."""
