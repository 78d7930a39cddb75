"""The generated pages of ``workshop/``: schedule, agendas, trainer notes, participant sheets."""
