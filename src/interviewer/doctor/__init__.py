"""The doctor's checks of a set-up: the models, the judge's scoring, speech in and out."""
