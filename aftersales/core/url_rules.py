"""URL rules whose builders are compiled when first used.

Werkzeug compiles two URL-building functions for every rule as the rule is added (Python
source generated, walked with `ast`, `exec`'d): a fifth of a second of start-up for our
350 routes, before the first request, although a worker builds URLs for a few dozen of
them. Here each builder is compiled the first time `url_for` builds that rule, and then
kept on the rule, so later builds call werkzeug's own function directly. Matching is
untouched. Follows `Rule.compile` of Werkzeug 3.1 (`_build`, `_build_unknown`)."""

from werkzeug.routing import Rule


class LazilyBuiltRule(Rule):
    def _compile_builder(self, append_unknown: bool = True):
        attribute = "_build_unknown" if append_unknown else "_build"

        def compile_then_build(rule: Rule, /, **values):
            builder = Rule._compile_builder(rule, append_unknown).__get__(rule, None)
            setattr(rule, attribute, builder)  # two threads racing compile the same function
            return builder(**values)

        return compile_then_build
