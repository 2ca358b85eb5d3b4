"""The bilingual PDF report of an audit evidence package: cover, score and projected level,
the clause table, gaps, special deductions and bonus, the sampling method and how to verify.

Every heading and label is written in Chinese with English beside or under it, whatever
the request locale, so the strings sit here in (zh, en) pairs rather than in the gettext
catalog. Chinese is set in reportlab's built-in CID font STSong-Light (no font file);
English in Helvetica. The document is written straight to the caller's file object.
"""

import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from itertools import groupby
from typing import BinaryIO
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import (
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
)
from sqlalchemy import select
from sqlalchemy.orm import Session

from aftersales.evidence.audit.report_layout import (
    BAND_FILL,
    BODY_WIDTH,
    CELL,
    CELL_EN,
    CELL_RIGHT,
    CODE_BOX,
    FONT,
    LATIN,
    LATIN_BOLD,
    MARGIN,
    MUTED,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    REMEDY_EN,
    RULE,
    SCORE,
    STATUS_FILL,
    TEXT,
    TEXT_EN,
    TITLE_EN,
    TITLE_ZH,
    TOP_MARGIN,
    facts_table,
    grid,
    inline,
    is_latin,
    local_time,
    mixed,
    mono,
    num_text,
    pair_of,
    para,
    percent,
    section,
    subheading,
)
from aftersales.evidence.audit.report_words import BASIS, ITEM_KIND, ITEM_STATE, LEVEL, STATUS, T
from aftersales.evidence.compliance import catalog as catalog_module
from aftersales.evidence.compliance import dashboard, engine, registry, rubric
from aftersales.evidence.compliance.checks import (
    AttestationCheck,
    Check,
    DocumentCheck,
    MetricCheck,
    checks_of,
)
from aftersales.evidence.models import Snapshot, SpecialItem


@dataclass(frozen=True)
class SampleFacts:
    record_type: str  # "tickets", "complaints", "training_sessions"
    label_zh: str  # "服务工单"
    label_en: str  # "Work orders"
    population: int  # records in the period eligible for sampling
    sampled: int  # records drawn
    strata: int  # number of (outlet, month) strata


@dataclass(frozen=True)
class ReportFacts:
    first_day: date  # the audit period (local days, both included)
    last_day: date
    frozen_at: datetime  # UTC aware; shown in Asia/Shanghai
    frozen_by: str
    chain_seq: int  # audit trail chain head at freeze time
    chain_hash: str
    seed: int  # sampling seed and share (0.10 = 10 %)
    share: Decimal
    samples: list[SampleFacts]
    generated_at: datetime
    generated_by: str
    public_key_sha256: str  # fingerprint of the signing key
    # Sections 4 and 5 as kept at the freeze (live_sections' shape).
    sections: dict


# ---------------------------------------------------------------- the parts


def _cover(facts: ReportFacts) -> list:
    chain = [Paragraph(f"{inline(T['chain_seq'])} {mixed(str(facts.chain_seq))}", CELL),
             Paragraph(inline(T["chain_hash"]), CELL), Paragraph(mono(facts.chain_hash), CELL)]
    lines = [
        (T["standard"], pair_of(T["standard_value"])),
        (T["period"], para(f"{facts.first_day.isoformat()} — {facts.last_day.isoformat()}")),
        (T["frozen_at"], para(local_time(facts.frozen_at))),
        (T["frozen_by"], para(facts.frozen_by)),
        (T["chain"], chain),
        (T["generated_at"], para(local_time(facts.generated_at))),
        (T["generated_by"], para(facts.generated_by)),
        (T["key"], Paragraph(mono(facts.public_key_sha256), CELL)),
    ]
    contents = [para(f"{T[key][0]}　{T[key][1]}", TEXT)
                for key in ("s_score", "s_clauses", "s_gaps", "s_special", "s_calendar",
                            "s_rubric", "s_sampling")]
    return [
        Paragraph(escape(T["title"][0]), TITLE_ZH),
        Paragraph(mixed(T["title"][1], LATIN_BOLD), TITLE_EN),
        Spacer(1, 10 * mm),
        facts_table(lines),
        Spacer(1, 8 * mm),
        subheading(T["contents"]),
        *contents,
        Spacer(1, 8 * mm),
        *pair_of(T["cover_note"], TEXT, TEXT_EN),
        PageBreak(),
    ]


def _score(snapshot: Snapshot, clauses: list[dict]) -> list:
    catalog = catalog_module.load()
    level = LEVEL.get(snapshot.level, (snapshot.level or "", snapshot.level or ""))
    lines = [
        (T["score"], Paragraph(f'{mixed(num_text(snapshot.score), LATIN_BOLD)} {mixed("/ 100")}',
                               SCORE)),
        (T["level"], pair_of(level)),
        (T["points"], para(f"{num_text(snapshot.points_obtained)} / "
                           f"{num_text(snapshot.points_applicable)}")),
        (T["deductions"], para(str(snapshot.deductions))),
        (T["bonus"], para(str(snapshot.bonus))),
        (T["window"], para(f"{snapshot.period_from.isoformat()} — "
                           f"{snapshot.period_to.isoformat()}")),
        (T["computed"], para(local_time(snapshot.computed_at))),
    ]
    counts: dict[str, int] = {}
    for clause in clauses:
        counts[clause["status"]] = counts.get(clause["status"], 0) + 1
    counted = [[pair_of(STATUS[s]), para(str(counts[s]), CELL_RIGHT)]
               for s in STATUS if s in counts]
    header = [pair_of(T["group"]), pair_of(T["applicable_points"]), pair_of(T["obtained"]),
              pair_of(T["share"])]
    rows = [header]
    for group, values in json.loads(snapshot.groups_json).items():
        named = catalog.groups.get(group)
        name = (f"{group} {named.zh}", named.en) if named else (group, "")
        share = values["obtained"] / values["points"] if values["points"] else None
        rows.append([pair_of(name), para(num_text(values["points"]), CELL_RIGHT),
                     para(num_text(values["obtained"]), CELL_RIGHT),
                     para("—" if share is None else percent(share), CELL_RIGHT)])
    return [
        *section(T["s_score"]),
        facts_table(lines),
        Spacer(1, 3 * mm),
        *pair_of(T["formula"], TEXT, TEXT_EN),
        Spacer(1, 3 * mm),
        subheading(("一级指标得分", "Score by group")),
        grid(rows, [BODY_WIDTH - 3 * 28 * mm, 28 * mm, 28 * mm, 28 * mm]),
        Spacer(1, 3 * mm),
        subheading(T["status_counts"]),
        grid([[pair_of(T["status"]), pair_of(("条款数", "Clauses"))], *counted],
              [50 * mm, 28 * mm]),
    ]


CLAUSE_WIDTHS = [17 * mm, None, 22 * mm, 13 * mm, 15 * mm, 15 * mm]


def _clause_table(clauses: list[dict]) -> list:
    catalog = catalog_module.load()
    widths = list(CLAUSE_WIDTHS)
    widths[1] = BODY_WIDTH - sum(w for w in widths if w)
    rows = [[pair_of(T["clause"]), pair_of(T["requirement"]), pair_of(T["status"]),
             pair_of(T["clause_points"]), pair_of(T["obtained"]), pair_of(T["evidence"])]]
    extra, group = [], None
    for clause in clauses:
        if clause["group"] != group:
            group = clause["group"]
            named = catalog.groups.get(group)
            label = f"{group} {named.zh}　{named.en}" if named else group
            extra += [("SPAN", (0, len(rows)), (-1, len(rows))),
                      ("BACKGROUND", (0, len(rows)), (-1, len(rows)), BAND_FILL)]
            rows.append([para(label), "", "", "", "", ""])
        status_cell = pair_of(STATUS.get(clause["status"], (clause["status"], "")))
        if clause["na_reason"]:
            status_cell.append(para(clause["na_reason"], CELL_EN))
        extra.append(("BACKGROUND", (2, len(rows)), (2, len(rows)),
                      STATUS_FILL.get(clause["status"], colors.white)))
        rows.append([
            para(clause["number"]), pair_of((clause["zh"], clause["en"])), status_cell,
            para(num_text(clause["points"]), CELL_RIGHT),
            para(num_text(clause["obtained"]) if clause["applicable"] else "—", CELL_RIGHT),
            para(str(clause["evidence_count"]), CELL_RIGHT),
        ])
    if len(rows) == 1:
        rows.append([para("—"), "", "", "", "", ""])
    return [*section(T["s_clauses"]), *pair_of(T["clauses_note"], TEXT, TEXT_EN),
            Spacer(1, 3 * mm), grid(rows, widths, extra=extra)]


def _remedies(check: Check) -> list[tuple[str, str]]:
    """What would close the gap one check leaves, in Chinese and English (none if it holds)."""
    catalog = catalog_module.load()
    if isinstance(check, MetricCheck):
        spec = catalog.providers.get(check.key)
        zh, en = (spec.name.zh, spec.name.en) if spec else (check.key, check.key)
        if not check.registered:
            return [(f"尚无模块提供“{zh}”，在此之前该条款显示无数据。",
                     f"No module provides \"{en}\" yet; the clause shows no data until one does.")]
        if check.status == "no_data":
            return [(f"评价期内没有“{zh}”的记录。", f"No records in the period for \"{en}\".")]
        if check.fraction is not None and check.fraction < 1:
            value = dashboard.format_value(check.value, check.unit)
            target = dashboard.format_value(check.target, check.unit)
            count = check.failing_count
            return [(f"将“{zh}”从 {value} 提升到 {target}；{count} 条记录不合格。",
                     f"Bring \"{en}\" from {value} to {target}; {count} records fail.")]
        return []
    if isinstance(check, DocumentCheck):
        named = catalog.documents.get(check.kind)
        zh, en = (named.zh, named.en) if named else (check.kind, check.kind)
        share = check.share
        if check.in_force:
            if share >= 1:
                return []
            shown = percent(share)
            return [(f"“{zh}”仅在评价期的 {shown} 时间内经批准生效：得分按生效时间比例计。",
                     f"\"{en}\" was approved and in force for {shown} of the period: its "
                     "points follow that share.")]
        if check.not_counted:
            return [(f"“{zh}”由上传人本人批准，不计分：须由他人批准。",
                     f"\"{en}\" was approved by the person who uploaded it and does not "
                     "count: someone else approves it.")]
        if check.lapsed_on:
            day = check.lapsed_on
            return [(f"“{zh}”已于 {day} 失效：请批准新版本。",
                     f"\"{en}\" lapsed on {day}: approve a new version.")]
        return [(f"请上传并批准“{zh}”。", f"Upload and approve \"{en}\".")]
    if isinstance(check, AttestationCheck):
        if not check.attestations:
            return [("由售后经理在访谈后签署声明。",
                     "A manager signs an attestation after the interviews.")]
        share = check.share
        if share == 0 and check.evidence_required:
            return [("评分细则要求附证据：签署声明时注明或附上所依据的记录。",
                     "The rubric requires evidence: sign one naming or attaching the records.")]
        if share < 1:
            shown = percent(share)
            return [(f"声明仅在评价期的 {shown} 时间内有效。",
                     f"The attestation was in force for {shown} of the period.")]
    return []


def _gaps(clauses: list[dict]) -> list:
    gaps = sorted((c for c in clauses if c["applicable"] and c["at_stake"] > 0),
                  key=lambda c: (-c["at_stake"], c["number"]))
    if not gaps:
        return [*section(T["s_gaps"]), *pair_of(T["no_gaps"], TEXT, TEXT_EN)]
    rows = [[pair_of(T["clause"]), pair_of(T["at_stake"]), pair_of(T["status"]),
             pair_of(T["remedy"])]]
    extra = []
    for clause in gaps:
        remedies = [pair for check in clause["checks"] for pair in _remedies(check)]
        cell = []
        for number, (zh, en) in enumerate(remedies or [T["no_remedy"]], start=1):
            marker = f"{number}. " if len(remedies) > 1 else ""
            cell += [para(marker + zh), para(marker + en, REMEDY_EN)]
        extra.append(("BACKGROUND", (2, len(rows)), (2, len(rows)),
                      STATUS_FILL.get(clause["status"], colors.white)))
        rows.append([
            para(clause["number"]),
            para(num_text(clause["at_stake"]), CELL_RIGHT),
            pair_of(STATUS.get(clause["status"], (clause["status"], ""))),
            cell,
        ])
    widths = [17 * mm, 15 * mm, 22 * mm]
    widths.append(BODY_WIDTH - sum(widths))
    return [*section(T["s_gaps"]), *pair_of(T["gaps_note"], TEXT, TEXT_EN), Spacer(1, 3 * mm),
            grid(rows, widths, extra=extra)]


def special_items(session: Session, first_day: date, last_day: date) -> list[SpecialItem]:
    """The special deductions and bonuses raised within the period, void ones aside."""
    return list(session.scalars(
        select(SpecialItem)
        .where(SpecialItem.raised_on >= first_day, SpecialItem.raised_on <= last_day,
               SpecialItem.status != "void")
        .order_by(SpecialItem.raised_on, SpecialItem.id)
    ))


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def special_data(session: Session, first_day: date, last_day: date) -> list[dict]:
    """Section 4 as plain data: what a freeze keeps, so a later edit of an item (its status,
    its rectification) leaves the frozen period's report as it was."""
    return [{"raised_on": item.raised_on.isoformat(), "kind": item.kind, "basis": item.basis,
             "clause_number": item.clause_number, "description": item.description,
             "rectification": item.rectification, "status": item.status,
             "rectified_on": _day(item.rectified_on), "rectify_by": _day(item.rectify_by)}
            for item in special_items(session, first_day, last_day)]


def _special(items: list[dict]) -> list:
    part = [*section(T["s_special"]), *pair_of(T["special_note"], TEXT, TEXT_EN)]
    if not items:
        return [*part, Spacer(1, 2 * mm), *pair_of(T["no_special"], TEXT, TEXT_EN)]
    deductions = sum(1 for item in items if item["kind"] == "deduction")
    zh, en = T["special_count"]
    counts = (zh.format(d=deductions, b=len(items) - deductions),
              en.format(d=deductions, b=len(items) - deductions))
    rows = [[pair_of(T["raised_on"]), pair_of(T["kind"]), pair_of(T["basis"]), pair_of(T["clause"]),
             pair_of(T["description"]), pair_of(T["status"])]]
    for item in items:
        description = [para(item["description"])]
        if item["rectification"]:
            description.append(para(f"{T['rectification'][0]} {T['rectification'][1]}: "
                                  f"{item['rectification']}", CELL_EN))
        status = pair_of(ITEM_STATE.get(item["status"], (item["status"], "")))
        if item["rectified_on"]:
            status.append(para(item["rectified_on"], CELL_EN))
        elif item["rectify_by"]:
            status.append(para(f"{T['rectify_by'][0]} {T['rectify_by'][1]} {item['rectify_by']}",
                             CELL_EN))
        rows.append([
            para(item["raised_on"]), pair_of(ITEM_KIND.get(item["kind"], (item["kind"], ""))),
            pair_of(BASIS.get(item["basis"], (item["basis"], ""))),
            para(item["clause_number"] or "—"), description, status,
        ])
    widths = [19 * mm, 21 * mm, 32 * mm, 15 * mm, None, 24 * mm]
    widths[4] = BODY_WIDTH - sum(w for w in widths if w)
    return [*part, *pair_of(counts, TEXT, TEXT_EN), Spacer(1, 3 * mm), grid(rows, widths)]


def _sampling(facts: ReportFacts) -> list:
    share = f"{float(facts.share) * 100:g}%"
    lines = [
        (T["sampling_share"], para(f"{share} (share = {facts.share})")),
        (T["seed"], Paragraph(mono(facts.seed, 9), CELL)),
    ]
    rows = [[pair_of(T["record_type"]), pair_of(T["population"]), pair_of(T["sampled"]),
             pair_of(T["strata"]), pair_of(T["actual"])]]
    for sample in facts.samples:
        rows.append([
            pair_of((sample.label_zh, sample.label_en)), para(str(sample.population), CELL_RIGHT),
            para(str(sample.sampled), CELL_RIGHT), para(str(sample.strata), CELL_RIGHT),
            para(percent(sample.sampled / sample.population) if sample.population else "—",
               CELL_RIGHT),
        ])
    population = sum(s.population for s in facts.samples)
    sampled = sum(s.sampled for s in facts.samples)
    rows.append([
        pair_of(T["total"]), para(str(population), CELL_RIGHT), para(str(sampled), CELL_RIGHT),
        para(str(sum(s.strata for s in facts.samples)), CELL_RIGHT),
        para(percent(sampled / population) if population else "—", CELL_RIGHT),
    ])
    widths = [BODY_WIDTH - 4 * 26 * mm] + [26 * mm] * 4
    return [
        *section(T["s_sampling"]),
        facts_table(lines),
        Spacer(1, 2 * mm),
        subheading(T["rule"]),
        *pair_of(T["rule_zh"], TEXT, TEXT_EN),
        Paragraph(escape(T["rule_en"]), CODE_BOX),
        subheading(T["per_kind"]),
        grid(rows, widths, extra=[("BACKGROUND", (0, -1), (-1, -1), BAND_FILL)]),
        Spacer(1, 4 * mm),
        KeepTogether([
            subheading(T["verify"]),
            *pair_of(T["verify_zh"], TEXT, TEXT_EN),
            Paragraph(escape("python verify.py package.zip"), CODE_BOX),
            Paragraph(inline(T["key"]), TEXT),
            Paragraph(mono(facts.public_key_sha256, 8), TEXT),
        ]),
    ]


def _clause_rows(session: Session, snapshot: Snapshot) -> list[dict]:
    catalog = catalog_module.load()
    clauses = []
    for row in engine.snapshot_clauses(session, snapshot):
        clause = catalog.clause(row.clause_number)
        detail = json.loads(row.detail_json)
        points, obtained = float(row.points), float(row.obtained)
        clauses.append({
            "number": row.clause_number, "group": row.clause_number[:3],
            "zh": clause.zh if clause else "", "en": clause.en if clause else "",
            "status": row.status, "applicable": row.applicable, "points": points,
            "obtained": obtained, "evidence_count": row.evidence_count,
            "at_stake": round(points - obtained, 2) if row.applicable else 0.0,
            "checks": checks_of(detail), "na_reason": detail.get("na_reason", ""),
        })
    return clauses


# ---------------------------------------------------------------- the document


class _Document(SimpleDocTemplate):
    def afterFlowable(self, flowable):
        title = getattr(flowable, "outline", None)
        if title:
            key = f"section-{id(flowable)}"
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(title, key, level=0)


def _draw(canvas, text: str, x: float, y: float, align: str, size: float = 8) -> None:
    """One line on the page's margin, its Latin runs in Helvetica as in the body."""
    runs = [(LATIN if is_latin else FONT, "".join(chars))
            for is_latin, chars in groupby(text, is_latin)]
    width = sum(pdfmetrics.stringWidth(run, font, size) for font, run in runs)
    left = {"left": x, "centre": x - width / 2, "right": x - width}[align]
    for font, run in runs:
        canvas.setFont(font, size)
        canvas.drawString(left, y, run)
        left += pdfmetrics.stringWidth(run, font, size)


def _page_decorations(facts: ReportFacts):
    period = f"{facts.first_day.isoformat()} — {facts.last_day.isoformat()}"

    def decorate(canvas, document):
        number = canvas.getPageNumber()
        canvas.saveState()
        canvas.setFillColor(MUTED)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.4)
        zh, en = T["page"]
        _draw(canvas, f"{zh.format(n=number)}  /  {en.format(n=number)}", PAGE_WIDTH / 2,
              10 * mm, "centre")
        canvas.line(MARGIN, 14 * mm, PAGE_WIDTH - MARGIN, 14 * mm)
        if number > 1:
            top = PAGE_HEIGHT - 12 * mm
            _draw(canvas, "  ".join(T["running"]), MARGIN, top, "left")
            _draw(canvas, f"{T['period'][0]}  {T['period'][1]}  {period}", PAGE_WIDTH - MARGIN,
                  top, "right")
            canvas.line(MARGIN, top - 2 * mm, PAGE_WIDTH - MARGIN, top - 2 * mm)
        canvas.restoreState()

    return decorate


CLOCK_NAMES = {"response": ("响应", "Response"), "resolution": ("解决", "Resolution"),
               "response+resolution": ("响应与解决", "Response and resolution")}


def calendar_data(session: Session, first_day: date, last_day: date) -> dict:
    """Section 5 as plain data, kept by a freeze like section 4: where each year's holidays
    came from, the company's hours, and the clocks counted on a guessed calendar."""
    basis = registry.calendar_basis_of(session, first_day, last_day)
    return {
        "years": basis.years,
        "hours": basis.hours,
        "guessed_count": basis.guessed_count,
        "guessed": [{"record": clock.record, "clock": clock.clock,
                     "started_at": local_time(clock.started_at),
                     "due_at": local_time(clock.due_at) if clock.due_at else "—"}
                    for clock in basis.guessed],
    }


def _calendar(data: dict) -> list:
    part = [*section(T["s_calendar"]), *pair_of(T["calendar_note"], TEXT, TEXT_EN)]
    for status in data["years"]:
        zh, en = T[f"year_{status['source']}"]
        values = {"y": status["year"], "h": status["holidays"], "w": status["workdays"]}
        part += pair_of((zh.format(**values), en.format(**values)), TEXT, TEXT_EN)
    part += [Paragraph(f"{inline(T['company_hours'])} {mono(data['hours'])}", TEXT)]
    count, listed = data["guessed_count"], data["guessed"]
    if not count:
        return [*part, Spacer(1, 2 * mm), *pair_of(T["no_guessed"], TEXT, TEXT_EN)]
    zh, en = T["guessed_count"]
    part += [Spacer(1, 2 * mm), *pair_of((zh.format(n=count), en.format(n=count)),
                                        TEXT, TEXT_EN)]
    rows = [[pair_of(T["record"]), pair_of(T["clock"]), pair_of(T["started"]), pair_of(T["due"])]]
    for clock in listed:
        rows.append([para(clock["record"]), pair_of(CLOCK_NAMES[clock["clock"]]),
                     para(clock["started_at"]), para(clock["due_at"])])
    widths = [28 * mm, 34 * mm, None, None]
    widths[2] = widths[3] = (BODY_WIDTH - 62 * mm) / 2
    part += [Spacer(1, 3 * mm), grid(rows, widths)]
    if count > len(listed):
        zh, en = T["guessed_more"]
        part += pair_of((zh.format(n=len(listed)), en.format(n=len(listed))), TEXT, TEXT_EN)
    return part


def live_sections(session: Session, first_day: date, last_day: date) -> dict:
    """The report's sections read from live rows rather than from frozen records: a freeze
    stores them in this shape, and the package prints the stored copy."""
    return {"special": special_data(session, first_day, last_day),
            "calendar": calendar_data(session, first_day, last_day)}


def _rubric_applied(session: Session, snapshot: Snapshot, clauses: list[dict]) -> list:
    part = [*section(T["s_rubric"]), *pair_of(T["rubric_note"], TEXT, TEXT_EN)]
    departures = rubric.departures(session, engine.snapshot_clauses(session, snapshot),
                                   until=snapshot.computed_at)
    catalog = catalog_module.load()
    if departures:
        rows = [[pair_of(T["subject"]), pair_of(T["default"]), pair_of(T["applied"]),
                 pair_of(T["changed_by"]), pair_of(T["why"])]]
        for entry in departures:
            spec = catalog.providers.get(entry.number_or_key)
            name = f"{spec.name.zh} / {spec.name.en}" if spec else entry.number_or_key
            by = f"{entry.by} {local_time(entry.at)}" if entry.at else "—"
            rows.append([para(f"{name} · {entry.what}"), para(entry.default), para(entry.current),
                         para(by), para(entry.reason or "—")])
        part += [Spacer(1, 2 * mm),
                 grid(rows, [50 * mm, 18 * mm, 18 * mm, 34 * mm, BODY_WIDTH - 120 * mm])]
    else:
        part += pair_of(T["no_departures"], TEXT, TEXT_EN)
    return [*part, Spacer(1, 4 * mm), *_attested(clauses)]


def _attested(clauses: list[dict]) -> list:
    part = [subheading(("依据声明得分的条款", "Points resting on attestations")),
            *pair_of(T["attested_note"], TEXT, TEXT_EN)]
    rows = [[pair_of(T["clause"]), pair_of(T["signed"]), pair_of(T["statement"]),
             pair_of(T["attestation_evidence"])]]
    for clause in clauses:
        for check in clause["checks"]:
            if not isinstance(check, AttestationCheck) or not check.share:
                continue
            for signed in check.attestations:
                when = local_time(datetime.fromisoformat(signed["signed_at"]))
                if signed.get("backdated"):
                    zh, en = T["backdated"]
                    when += zh.format(day=signed["signed_on"]) + en.format(day=signed["signed_on"])
                evidence = " ".join(filter(None, (signed.get("evidence_records"),
                                                  signed.get("evidence_file"))))
                rows.append([para(f"{clause['number']} {num_text(clause['obtained'])}/"
                                f"{num_text(clause['points'])}"),
                             para(f"{signed['signer']} {when}"), para(signed["statement"]),
                             para(evidence or f"{T['none'][0]} / {T['none'][1]}")])
    if len(rows) == 1:
        return [*part, *pair_of(T["no_attested"], TEXT, TEXT_EN)]
    return [*part, Spacer(1, 2 * mm),
            grid(rows, [22 * mm, 38 * mm, BODY_WIDTH - 100 * mm, 40 * mm])]


def render(session: Session, snapshot: Snapshot, facts: ReportFacts, out: BinaryIO) -> None:
    """Write the report PDF to `out`."""
    clauses = _clause_rows(session, snapshot)
    document = _Document(
        out, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=TOP_MARGIN,
        bottomMargin=20 * mm, title=f"{T['title'][0]} / {T['title'][1]}",
        author=facts.generated_by, subject=f"GB/T 27922 {facts.first_day} — {facts.last_day}",
        creator="aftersales", lang="zh-CN",
    )
    story = [
        *_cover(facts),
        *_score(snapshot, clauses),
        PageBreak(),
        *_clause_table(clauses),
        *_gaps(clauses),
        *_special(facts.sections["special"]),
        *_calendar(facts.sections["calendar"]),
        *_rubric_applied(session, snapshot, clauses),
        *_sampling(facts),
    ]
    decorate = _page_decorations(facts)
    document.build(story, onFirstPage=decorate, onLaterPages=decorate)
