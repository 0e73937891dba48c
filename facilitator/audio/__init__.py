"""Audio: input devices, sources (microphone, file replay), the crash-safe recorder, levels.

Everything here is 16 kHz mono 16-bit, what Vosk wants: SAMPLE_RATE frames a second.
"""

SAMPLE_RATE = 16_000
BLOCK_SECONDS = 0.1
BLOCK_FRAMES = int(SAMPLE_RATE * BLOCK_SECONDS)
BYTES_PER_FRAME = 2
