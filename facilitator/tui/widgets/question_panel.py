"""The current question, large, with its probes and where it sits in the guide."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from facilitator.guide import Guide


class QuestionPanel(Static):
    """Shows question `index` of `guide`."""

    def __init__(self, guide: Guide, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.guide = guide

    def show_question(self, index: int) -> None:
        """Render the question at `index`."""
        question = self.guide.questions[index]
        section = self.guide.section_of(question.id)
        self.border_title = f"Question {index + 1} of {len(self.guide.questions)} · {section.title}"
        text = Text(question.text, style="bold")
        for probe in question.probes:
            text.append(f"\n  • {probe}", style="italic")
        self.update(text)
