"""What the satisfaction survey's form takes: a score of 1 to 5 for each dimension and a
few words, if the customer wants."""

from marshmallow import Schema, validate

from aftersales.core.fields import Int, Text
from aftersales.visits.labels import SURVEY_DIMENSIONS

SurveySchema = Schema.from_dict(
    {**{name: Int(required=True, minimum=1, maximum=5) for name in SURVEY_DIMENSIONS},
     "comment": Text(load_default="", validate=validate.Length(max=1000))},
    name="SurveySchema",
)
