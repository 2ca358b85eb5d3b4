"""Return visits' words other modules show: the satisfaction survey's dimensions."""

from flask_babel import lazy_gettext as _l

from aftersales.core.vocabulary import Vocabulary


class SurveyDimension(Vocabulary):
    """What the satisfaction survey asks the customer to score, 1 to 5 each."""

    TIMELINESS = "timeliness", _l("Promptness")
    ATTITUDE = "attitude", _l("Service attitude")
    SKILL = "skill", _l("Professional skill")
    RESULT = "result", _l("Result of the service")
    FEES = "fees", _l("Fees")


SURVEY_DIMENSIONS = SurveyDimension.codes()
DIMENSION_LABELS = SurveyDimension.labels()
