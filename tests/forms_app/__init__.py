"""Tests of the case area, in rooms that mirror forms_app's own (wizards/, cases/,
admin/, printing/, views/); what spans rooms, and the shared set-up, stays here."""
