"""Choose an input device (for example after the microphone was unplugged)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from facilitator.audio.devices import list_input_devices
from facilitator.errors import FacilitatorError


class InputScreen(ModalScreen[str | None]):
    """Lists input devices; Enter picks one (returned as its index), Escape keeps things."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="input.cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Record from which input?", classes="dialog-title")
            try:
                devices = list_input_devices()
                options = [Option(d.label, id=str(d.index)) for d in devices]
            except FacilitatorError as exc:
                options = []
                yield Label(str(exc))
            yield OptionList(*options, id="inputs")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Pick the device."""
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        """Keep the current input."""
        self.dismiss(None)
