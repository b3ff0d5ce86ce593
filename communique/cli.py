"""The ``communique`` command line: argument parsing over the Python API.

Exit status: 0 when every input was coded, 1 when some inputs failed (the
others are still coded and stored), 2 for a usage error or an input a command
cannot use, 3 for an internal error; errors are one line on standard error.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Optional, Sequence

from . import __version__
from .model import STANCE_KINDS, Article, Failure
from .settings import CODERS, IngestOptions, Settings, default_db

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


RELATIVE_DAYS = {"yesterday": -1, "today": 0, "tomorrow": 1}


def user_date(text: str) -> str:
    """A date as people write it ("2015-05-10", "10 May 2015", "May 10, 2015", "today") as YYYY-MM-DD."""
    from datetime import date, timedelta

    from .inputs.clean import parse_date

    low = text.strip().lower()
    found = ((date.today() + timedelta(days=RELATIVE_DAYS[low])).isoformat() if low in RELATIVE_DAYS
             else parse_date(text))
    if found is None:
        raise argparse.ArgumentTypeError(f"not a date: {text!r} (write 2015-05-10, 10 May 2015, May 10, 2015 "
                                         f"or today)")
    return found


class Parser(argparse.ArgumentParser):
    """argparse's parser, its usage errors one line (what is wrong, where to read more) and no usage dump."""

    def error(self, message: str):
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="communique",
        description="Turn news articles into political event data: PLOVER/CAMEO events with source and "
                    "target actors, quotes with their speakers, and stances, each traced to its sentence.")
    parser.add_argument("--version", action="version", version=f"communique {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    code = sub.add_parser("code", help="code articles and print the result",
                          description="Code articles (text, HTML or JSON Lines files, directories, - for "
                                      "standard input) and print them in input order.")
    add_input_args(code)
    code.add_argument("--format", choices=("jsonl", "table"), default="table",
                      help="jsonl: one JSON object per article (article, actors, events, quotes, stances); "
                           "table: a readable summary (default)")
    code.set_defaults(run=run_code)

    ingest = sub.add_parser("ingest", help="code articles and store them in the database",
                            description="Code articles and store them in DuckDB; failed inputs are recorded "
                                        "in the database's failures table.")
    add_input_args(ingest)
    add_db_arg(ingest)
    ingest.add_argument("--batch", type=int, default=IngestOptions.batch, metavar="N",
                        help=IngestOptions.help("batch"))
    ingest.add_argument("--workers", type=int, metavar="N", help=IngestOptions.help("workers"))
    ingest.add_argument("--scheduler", metavar="ADDRESS", help=IngestOptions.help("scheduler") + " (see the README)")
    ingest.add_argument("--recode", action="store_true", help=IngestOptions.help("recode"))
    ingest.add_argument("--no-learned", dest="resolve_learned", action="store_false",
                        help="do not " + IngestOptions.help("resolve_learned").split(" (default")[0])
    ingest.set_defaults(run=run_ingest)

    events = sub.add_parser("events", help="list or export stored events",
                            description="List stored events, filtered, as a table or exported (csv, jsonl, "
                                        "parquet) with their article's title, outlet, URL and date and the CAMEO "
                                        "code's name. Countries are codes or names (IRN, Iran, \"United States\"); "
                                        "`communique codes` lists the codes and types.")
    add_db_arg(events)
    add_event_filters(events)
    events.add_argument("--dedup", action="store_true",
                        help="one event per cluster (the same date, type, source and target country: the "
                             "event_clusters view), the most confident, with cluster_events and cluster_articles")
    events.add_argument("--layout", choices=("communique", "gdelt"), default="communique",
                        help="columns of an export: communique's (default) or GDELT 2.0's event table, in its "
                             "order, the fields we do not have left empty (docs/output.md)")
    add_listing_args(events)
    events.set_defaults(run=run_events)

    series = sub.add_parser("series", help="event counts over time, per country, dyad or type",
                            description="Count the stored events per period (--by day, week, month or year) and "
                                        "per country, dyad or type (--of), every period of the range present "
                                        "(zeros where nothing happened), with counts per quad class (quad1 verbal "
                                        "cooperation, quad2 material cooperation, quad3 verbal conflict, quad4 "
                                        "material conflict) and the Goldstein sum and mean. An event dated to a "
                                        "year only counts in yearly series, one dated to a month in monthly and "
                                        "yearly ones.")
    add_db_arg(series)
    series.add_argument("--by", choices=("day", "week", "month", "year"), default="month",
                        help="the period (default month)")
    series.add_argument("--of", choices=("country", "dyad", "type", "all"), default="country",
                        help="what is counted: each country (an event counts for its source's and its target's; "
                             "with --country that one alone), each directed dyad, each type, or all events "
                             "(default country)")
    add_event_filters(series)
    series.add_argument("--format", choices=("table", "csv", "jsonl", "parquet"), default="table")
    series.add_argument("--out", help="write to FILE instead of standard output (required for parquet)")
    series.set_defaults(run=run_series)

    codes = sub.add_parser("codes", help="list the event types, CAMEO codes and country codes",
                           description="List the valid values of the filters: PLOVER event types, CAMEO codes "
                                       "with their names, or actor country codes (ISO 3166 alpha-3 and the "
                                       "codes of organisations, blocs and regions) with their names.")
    codes.add_argument("what", choices=("types", "cameo", "countries"), help="which list")
    codes.set_defaults(run=run_codes)

    quotes = sub.add_parser("quotes", help="list stored quotes",
                            description="List stored quotes with their speakers, optionally filtered.")
    add_db_arg(quotes)
    quotes.add_argument("--speaker", metavar="NAME", help="speakers whose name contains NAME")
    quotes.add_argument("--country", help="the speaker's country: a code or a name (IRN, Iran)")
    add_listing_args(quotes)
    quotes.set_defaults(run=run_quotes)

    stances = sub.add_parser("stances", help="list stored stances",
                             description="List stored stances (holder for or against a target), optionally "
                                         "filtered.")
    add_db_arg(stances)
    stances.add_argument("--holder", metavar="COUNTRY", help="country of the holder: a code or a name")
    stances.add_argument("--target", metavar="COUNTRY", help="country of the target: a code or a name")
    stances.add_argument("--kind", choices=STANCE_KINDS,
                         help="stances of one kind only (see docs/output.md)")
    add_listing_args(stances)
    stances.set_defaults(run=run_stances)

    watch = sub.add_parser("watch", help="keep polling feeds and ingesting their new articles",
                           description="Poll the RSS/Atom feeds (or pages) listed in FEEDS_FILE, one URL per line, "
                                       "and ingest the items not stored yet; network errors are recorded and the "
                                       "next poll goes on. Stop it with Ctrl-C.")
    watch.add_argument("feeds", metavar="FEEDS_FILE", help="a file of feed URLs, one per line (# for comments)")
    add_db_arg(watch)
    watch.add_argument("--every", type=float, default=15, metavar="MINUTES", help="minutes between polls (default 15)")
    watch.add_argument("--once", action="store_true", help="poll once and stop (for cron)")
    add_model_arg(watch)
    watch.set_defaults(run=run_watch)

    coalitions = sub.add_parser("coalitions", help="blocs of countries that stand together",
                                description="Find blocs of countries by signed community detection on their "
                                            "alignment (where their positions toward third parties and issues "
                                            "place them, and their direct relations), per period.")
    add_db_arg(coalitions)
    add_period_args(coalitions)
    coalitions.add_argument("--every", choices=("all", "year", "quarter", "month"), default="all",
                            help="one set of blocs for the whole range (all, default) or per year, quarter, month")
    coalitions.add_argument("--min-evidence", type=int, default=1, metavar="N",
                            help="leave out country pairs, and blocs, with fewer evidence items (default 1)")
    coalitions.add_argument("--bootstrap", type=int, default=0, metavar="N",
                            help="resample the period's articles N times and give each member the share of "
                                 "resamples in which it lands in its bloc (default 0: not)")
    coalitions.add_argument("--json", action="store_true",
                            help="a JSON list of {members, period, since, until, evidence, stability} (and "
                                 "membership: {member: share} with --bootstrap)")
    coalitions.set_defaults(run=run_coalitions)

    serve = sub.add_parser("serve", help="serve the API and the dashboard",
                           description="Serve the database read-only: the dashboard at /, the JSON API under "
                                       "/api/ (described at /openapi.json). Stop it with Ctrl-C.")
    add_db_arg(serve)
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    serve.add_argument("--workers", type=int, default=1, metavar="N", help="server processes (default 1)")
    serve.set_defaults(run=run_serve)

    report = sub.add_parser("report", help="write a self-contained HTML report",
                            description="Write one HTML file, readable offline, with the dashboard's charts: "
                                        "coalitions, the alignment heat map, the busiest dyads over time and "
                                        "their events with the evidence sentences.")
    add_db_arg(report)
    add_period_args(report)
    report.add_argument("--out", required=True, metavar="FILE", help="the HTML file to write")
    report.set_defaults(run=run_report)

    add_eval_commands(sub)
    add_actors_commands(sub)
    return parser


def add_period_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--since", type=user_date, metavar="DATE", help="from this date (2015-05-10, 10 May 2015, today)")
    parser.add_argument("--until", type=user_date, metavar="DATE", help="up to this date (as --since)")


EVAL_COMMANDS = (  # (name, help, description, what --gold is, runner name)
    ("events", "event types, actors and triples against gold sentences",
     "Code each gold sentence and score the events. --gold is a PLOVER gold-standard or CAMEO codebook-example "
     "JSON Lines file; a PLV-style file of source-target pairs (plv_type, source/target spans: the type of the most "
     "confident event between the marked pair); or the project's annotated real-news set (the annotations/ "
     "folder: labels by article id and offsets, texts read from --shared).",
     "gold JSON Lines file, or the annotations/ folder", "run_eval_events"),
    ("actors", "actor country and sector against NGEC-style expectations",
     "Resolve each expectation's text with `actors lookup` and score its country and sector.",
     "gold JSON Lines file (NGEC actor expectations)", "run_eval_actors"),
    ("quotes", "quote contents and speakers against PolNeAR attributions",
     "Code each article of a PolNeAR folder (text/ and attributions/, brat standoff) and score the quotes.",
     "PolNeAR folder with text/ and attributions/", "run_eval_quotes"),
    ("stance", "directed stance between two entities against gold sentences",
     "Classify who is for or against whom in each gold sentence (directed-sentiment format) and score the labels.",
     "tab-separated gold file: marked sentence, entity 1, entity 2, label 0-4", "run_eval_stance"),
    ("extraction", "HTML article bodies against the extraction benchmark",
     "Read every page of the article-extraction benchmark (html/*.html.gz and ground-truth.json) and score the "
     "article text against the true body.", "the benchmark folder", "run_eval_extraction"),
)


def add_eval_commands(sub) -> None:
    evaluate = sub.add_parser("eval", help="score the coder against gold data, alignment against UN votes",
                              description="Score a stage of the coder against gold data, or the alignment "
                                          "analysis against UN General Assembly votes.")
    eval_sub = evaluate.add_subparsers(dest="target", required=True, metavar="WHAT")
    for name, help_text, description, gold_help, runner in EVAL_COMMANDS:
        command = eval_sub.add_parser(name, help=help_text, description=description)
        command.add_argument("--gold", required=True, help=gold_help)
        command.add_argument("--json", action="store_true", help="print one JSON object")
        if name != "extraction":  # reading HTML needs no model
            add_model_arg(command)
        if name == "events":
            command.add_argument("--split", choices=["train", "dev", "test", "all"], default="dev",
                                 help="annotated set: which split to score (default dev; test is for reporting)")
            command.add_argument("--shared", default="../shared", metavar="DIR",
                                 help="annotated set: the folder holding data/corpora (default ../shared)")
            command.add_argument("--alone", action="store_true",
                                 help="annotated set: code each sentence on its own, not within its article")
        command.set_defaults(run=globals()[runner])
    command = eval_sub.add_parser(
        "alignment", help="news-derived country alignment against UN General Assembly voting",
        description="Correlate the alignment of country pairs mentioned together in at least N (10) stored articles "
                    "with their UNGA vote agreement and ideal-point distance (Spearman, Mantel permutation "
                    "p-value), next to three baselines: co-mention counts, mean Goldstein, and coverage (articles "
                    "mentioning the busier country), with the alignment's correlation when coverage is held "
                    "constant; and the news positions of countries against their UN ideal points.")
    add_db_arg(command)
    command.add_argument("--unga", required=True, metavar="DIR",
                         help="folder with un_votes.csv.gz, un_roll_calls.csv.gz and idealpoints.csv")
    command.add_argument("--from", dest="first", type=int, default=2012, metavar="YEAR",
                         help="first year of votes (default 2012)")
    command.add_argument("--to", dest="last", type=int, default=2019, metavar="YEAR",
                         help="last year of votes (default 2019)")
    command.add_argument("--min-articles", type=int, default=10, metavar="N",
                         help="dyads: pairs in at least N articles (default 10, the protocol's; more shows how the "
                              "correlation grows with the evidence)")
    command.add_argument("--bootstrap", type=int, default=200, metavar="N",
                         help="resamples of the articles for the 95%% intervals (default 200; 0: no intervals)")
    command.add_argument("--kinds", metavar="KINDS", type=lambda text: [k for k in text.split(",") if k],
                         help=f"the stance kinds to take, comma-separated, of {', '.join(STANCE_KINDS)} (default: all; "
                              "leave one out to see what it adds)")
    command.add_argument("--json", action="store_true", help="print one JSON object")
    command.set_defaults(run=run_eval_alignment)


def add_actors_commands(sub) -> None:
    actors = sub.add_parser("actors", help="look up how an actor phrase resolves",
                            description="Resolve actor phrases to name, country and sector, with the reason.")
    actors_sub = actors.add_subparsers(dest="action", required=True, metavar="ACTION")
    lookup = actors_sub.add_parser("lookup", help="resolve one phrase (or a batch)",
                                   description="Resolve TEXT (or each JSON line of --batch FILE, with `text` "
                                               "and optional `date` and `context`) to an actor.")
    lookup.add_argument("text", nargs="?", metavar="TEXT", help="the actor phrase")
    lookup.add_argument("--date", type=user_date, help="the date the phrase is from, picking dated roles "
                        "(2015-05-10, 10 May 2015, May 10, 2015, today)")
    lookup.add_argument("--context", help="a country or nationality the phrase appears with")
    lookup.add_argument("--batch", metavar="FILE", help="JSON lines with text and optional date and context")
    lookup.add_argument("--json", action="store_true", help="one JSON object per result")
    add_model_arg(lookup)
    lookup.set_defaults(run=run_actors_lookup)
    learned = actors_sub.add_parser(
        "learned", help="list the persons learned from the stored articles, with their evidence",
        description="List the persons the stored articles introduce with a role or country the tables lack "
                    "(\"Y, the governor of Kano State\"): name, country, sector, role, first and last date seen "
                    "and the sentences that say so. An ingest resolves later mentions through them; --format tsv "
                    "writes a user actor file that --actors accepts back after you check and edit it.")
    add_db_arg(learned)
    learned.add_argument("--format", choices=("table", "tsv", "jsonl"), default="table",
                         help="table (default), tsv (an actor file for --actors) or jsonl (one person a line)")
    learned.add_argument("--min-articles", type=int, default=1, metavar="N",
                         help="persons introduced so in at least N articles (default 1)")
    learned.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output")
    learned.set_defaults(run=run_actors_learned)


def add_model_arg(parser: argparse.ArgumentParser) -> None:
    """The coder's resources: the spaCy pipeline and a user actor file."""
    parser.add_argument("--model", default=Settings.model, help=Settings.help("model"))
    parser.add_argument("--actors", metavar="FILE", help=Settings.help("actors"))
    parser.add_argument("--events", choices=CODERS, default=Settings.events, help=Settings.help("events"))
    parser.add_argument("--quotes", choices=CODERS, default=Settings.quotes, help=Settings.help("quotes"))


def field_map(text: str) -> tuple[tuple[str, str], ...]:
    """'text=body,id=uuid' -> (('text', 'body'), ('id', 'uuid'))."""
    pairs = [part.split("=", 1) for part in text.split(",") if part.strip()]
    if not pairs or any(len(p) != 2 or not p[0].strip() or not p[1].strip() for p in pairs):
        raise argparse.ArgumentTypeError(f"not a field mapping like text=body,id=uuid: {text!r}")
    return tuple((k.strip(), v.strip()) for k, v in pairs)


def add_input_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help="files (text, HTML, JSON Lines, CSV/TSV, WARC, .gz, .zip), directories, or - for "
                             "standard input")
    parser.add_argument("--fields", type=field_map, default=(), metavar="MAP", help=Settings.help("fields"))
    parser.add_argument("--date", type=user_date, help=Settings.help("default_date"))
    add_model_arg(parser)


def add_listing_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("table", "csv", "jsonl", "parquet"), default="table")
    parser.add_argument("--out", help="write to FILE instead of standard output (required for parquet)")
    parser.add_argument("--limit", type=int, help="at most N rows")


def add_event_filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--country", help="events with this country as source or target: a code or a name "
                                          "(IRN, Iran, \"United States\")")
    parser.add_argument("--source", metavar="COUNTRY", help="the source's country (a code or a name)")
    parser.add_argument("--target", metavar="COUNTRY", help="the target's country (a code or a name)")
    parser.add_argument("--dyad", metavar="A,B", help="events between two countries, either way (IRN,USA)")
    parser.add_argument("--type", help="PLOVER event type, e.g. CONSULT, ACCUSE (`communique codes types`)")
    add_period_args(parser)
    parser.add_argument("--min-confidence", type=float, metavar="P", help="events of confidence P or more (0-1)")
    parser.add_argument("--dyadic", action="store_true",
                        help="only events whose source and target are both placed in (different) countries")


def event_filters(args: argparse.Namespace) -> dict:
    """The event filters given on the command line as keywords of the store's queries, names resolved to
    codes (a ValueError naming the input and the nearest valid values otherwise)."""
    from .lexicons.codes import country_code, dyad_codes, event_type

    filters = {"country": args.country, "source": args.source, "target": args.target, "type": args.type,
               "since": args.since, "until": args.until, "min_confidence": args.min_confidence,
               "dyadic": args.dyadic}
    for key in ("country", "source", "target"):
        if filters[key]:
            filters[key] = country_code(filters[key])
    if filters["type"]:
        filters["type"] = event_type(filters["type"])
    if args.dyad:
        try:
            filters["dyad"] = dyad_codes(args.dyad)
        except ValueError as exc:
            raise ValueError(f"--dyad: {exc}") from None
    if args.min_confidence is not None and not 0 <= args.min_confidence <= 1:
        raise ValueError(f"--min-confidence {args.min_confidence}: a confidence is between 0 and 1")
    if args.since and args.until and args.since > args.until:
        raise ValueError(f"--since {args.since} is after --until {args.until}")
    return filters


def add_db_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", default=None, help=IngestOptions.help("db"))


def settings_from(args: argparse.Namespace) -> dict:
    """The coder's settings given on the command line, as keywords of the Python API."""
    return {"model": args.model, "default_date": args.date, "actors": args.actors, "fields": args.fields,
            "events": args.events, "quotes": args.quotes}


def run_code(args: argparse.Namespace) -> int:
    from .runner import code_inputs, report_failure

    failed = 0
    for item in code_inputs(args.paths, stdin=sys.stdin.buffer, **settings_from(args)):
        if isinstance(item, Failure):
            failed += 1
            report_failure(item)
            continue
        for warning in item.warnings:
            print(f"communique: {item.input or item.id}: {warning}", file=sys.stderr, flush=True)
        print(item.to_json() if args.format == "jsonl" else format_article(item), flush=True)
    return EXIT_SOME_FAILED if failed else EXIT_OK


def format_article(a: Article) -> str:
    lines = [f"== {a.id}  ({a.source or '?'}, {a.place or '?'}, {a.date or 'undated'})"]
    for e in a.events:
        src = (e.source.country or "?") if e.source else "-"
        tgt = (e.target.country or "?") if e.target else "-"
        past = " historical" if e.historical else ""
        lines.append(f"  {e.type:<9} {e.cameo:<5} {src:>4} -> {tgt:<4} {e.confidence:.2f}{past}  "
                     f"[{e.trigger}] {shorten(e.sentence)}")
    for q in a.quotes:
        who = q.speaker.name if q.speaker else "?"
        lines.append(f"  QUOTE     {who}: {shorten(q.text)}")
    for s in a.stances:
        target = f"{s.target.name} ({s.target.country or '?'})" if s.target else f"issue: {s.issue}"
        lines.append(f"  STANCE    {s.holder.name} ({s.holder.country or '?'}) {'for' if s.polarity > 0 else 'against'} "
                     f"{target}  [{s.kind}, {len(s.evidence)} evidence]")
    return "\n".join(lines)


def shorten(text: str, width: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 1] + "\u2026"


def run_ingest(args: argparse.Namespace) -> int:
    from .runner import ingest

    summary = ingest(args.paths, stdin=sys.stdin.buffer, **settings_from(args), db=args.db, batch=args.batch,
                     recode=args.recode, workers=args.workers, scheduler=args.scheduler, resolve_learned=args.resolve_learned,
                     progress=True)
    print(summary.text())
    return EXIT_SOME_FAILED if summary.failed else EXIT_OK


def run_watch(args: argparse.Namespace) -> int:
    from .runner import watch

    def said(summary) -> None:
        print(f"{time.strftime('%Y-%m-%d %H:%M:%S')} {summary.text().splitlines()[0]}", flush=True)

    summary = watch(args.feeds, db=args.db, every=args.every, once=args.once, on_poll=said,
                    model=args.model, actors=args.actors, events=args.events, quotes=args.quotes)
    return EXIT_SOME_FAILED if summary.failed else EXIT_OK  # --once; else watch runs until interrupted


TABLE_COLUMNS = {
    "events": "CASE date_precision WHEN 'year' THEN strftime(date, '%Y') WHEN 'month' THEN strftime(date, '%Y-%m') "
              "ELSE CAST(date AS VARCHAR) END AS date, type, cameo, source_country, target_country, confidence, trigger, "
              "left(sentence, 80) AS sentence",
    "quotes": "speaker_name, speaker_country, cue, direct, left(text, 90) AS text",
    "stances": "holder_name, holder_country, polarity, coalesce(target_name, issue) AS target, target_country, kind",
}


def run_events(args: argparse.Namespace) -> int:
    from .store import export
    from .store.layouts import gdelt, with_names

    filters = event_filters(args)
    with open_store(args) as store:
        if args.format == "table":
            print(store.events(**filters, limit=args.limit, order="date NULLS LAST, article_id, event_no")
                  .project(TABLE_COLUMNS["events"]).df().to_string(index=False))
            return EXIT_OK
        table = store.event_export(dedup=args.dedup, limit=args.limit, **filters)
    return write_out(export(gdelt(table) if args.layout == "gdelt" else with_names(table), args.format, args.out))


def run_series(args: argparse.Namespace) -> int:
    import pyarrow as pa

    from .analysis.series import series
    from .store import export

    with open_store(args) as store:
        frame = series(store, by=args.of, freq=args.by, **event_filters(args))
    if args.format == "table":
        print(frame.to_string(index=False) if len(frame) else "no dated events match these filters")
        return EXIT_OK
    return write_out(export(pa.Table.from_pandas(frame, preserve_index=False), args.format, args.out))


def run_codes(args: argparse.Namespace) -> int:
    from .lexicons.codes import actor_codes, cameo_names, event_types

    rows = {"types": {t: "" for t in event_types()}, "cameo": cameo_names(), "countries": actor_codes()}[args.what]
    print("\n".join(f"{code}\t{name}".rstrip() for code, name in rows.items()))
    return EXIT_OK


def run_quotes(args: argparse.Namespace) -> int:
    from .lexicons.codes import country_code

    country = country_code(args.country) if args.country else None
    return list_rows(args, "quotes", lambda store: store.quotes(speaker=args.speaker, country=country,
                                                                limit=args.limit))


def run_stances(args: argparse.Namespace) -> int:
    from .lexicons.codes import country_code

    holder, target = (country_code(c) if c else None for c in (args.holder, args.target))
    return list_rows(args, "stances", lambda store: store.stances(holder=holder, target=target, limit=args.limit,
                                                                  kind=args.kind))


def open_store(args: argparse.Namespace):
    """The store of ``--db`` (else the default), read-only."""
    from .store import Store

    return Store(args.db or default_db(), read_only=True)


def write_out(text: Optional[str]) -> int:
    if text is not None:
        sys.stdout.write(text)
    return EXIT_OK


def list_rows(args: argparse.Namespace, table: str, query) -> int:
    """Print or export the rows ``query(store)`` selects."""
    from .store import export

    with open_store(args) as store:
        relation = query(store)
        if args.format == "table":
            print(relation.project(TABLE_COLUMNS[table]).df().to_string(index=False))
            return EXIT_OK
        return write_out(export(relation, args.format, args.out))


def run_eval_events(args: argparse.Namespace) -> int:
    import json
    from pathlib import Path

    from .evaluate.annotated import evaluate_annotated
    from .evaluate.events import evaluate_events, format_report
    from .evaluate.pairs import evaluate_pairs, is_pair_file

    pipeline = pipeline_for(args)
    if Path(args.gold).is_dir():
        result = evaluate_annotated(Path(args.gold), Path(args.shared), pipeline, args.split, args.alone)
        return print_result(args, result, json.dumps(result, indent=1))
    if is_pair_file(args.gold):
        result = evaluate_pairs(args.gold, lambda text: pipeline.code_text(text, clean=False))
        return print_result(args, result, json.dumps(result, indent=1))
    result, table = evaluate_events(args.gold, lambda text, date: pipeline.code_text(text, date=date))
    return print_result(args, result, format_report(result, table))


def pipeline_for(args: argparse.Namespace):
    """The pipeline of the command's --model and --actors, built once."""
    from .pipeline import Pipeline

    return Pipeline.get(Settings.of(model=args.model, actors=args.actors, events=args.events,
                                    quotes=args.quotes))


def actor_lookup(args: argparse.Namespace):
    """``lookup(text, date, context) -> dict`` over the pipeline's parser and actors stage."""
    pipeline = pipeline_for(args)
    return lambda text, date, context: pipeline.lookup(text, date, context).to_dict()


def run_actors_lookup(args: argparse.Namespace) -> int:
    import json

    if not args.text and not args.batch:
        raise ValueError("give TEXT or --batch FILE")
    lookup = actor_lookup(args)
    queries = [{"text": args.text, "date": args.date, "context": args.context}] if args.text else \
        [json.loads(line) for line in open(args.batch, encoding="utf-8") if line.strip()]
    for n, q in enumerate(queries, 1):  # every date read before the first lookup
        try:
            q["date"] = user_date(q["date"]) if q.get("date") else None
        except argparse.ArgumentTypeError as e:
            raise ValueError(f"{args.batch}, query {n}: {e}") from None
    for q in queries:
        result = lookup(q.get("text") or "", q["date"], q.get("context"))
        if args.json:
            print(json.dumps(result, ensure_ascii=False))
        else:
            print(f"{q.get('text')!r}: {result['name']} | country {result['country']} | sector {result['sector']}"
                  f" | {result['reason']}")
    return EXIT_OK


def run_actors_learned(args: argparse.Namespace) -> int:
    import json

    from .lexicons.custom import learned_actor_file

    with open_store(args) as store:
        persons = store.learned_persons(min_articles=args.min_articles)
    if args.format == "tsv":
        text = learned_actor_file(persons)
    elif args.format == "jsonl":
        text = "".join(json.dumps(p, ensure_ascii=False) + "\n" for p in persons)
    else:
        text = "".join(f"{p['name']} | {p['country'] or '-'} {p['sector'] or '-'} {p['role'] or '-'} | "
                       f"{p['first_seen'] or '?'}..{p['last_seen'] or '?'} | {p['articles']} article(s) | "
                       f"{p['evidence'][0]['sentence'][:100]}\n" for p in persons) + f"{len(persons)} persons\n"
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return EXIT_OK


def print_result(args: argparse.Namespace, result: dict, text: str) -> int:
    """An eval command's result: one JSON object with --json, else ``text``."""
    import json

    print(json.dumps(result) if args.json else text)
    return EXIT_OK


def run_eval_actors(args: argparse.Namespace) -> int:
    from .evaluate.actors import evaluate_actors

    result = evaluate_actors(args.gold, actor_lookup(args))
    return print_result(args, result, f"cases: {result['n']}\ncountry_accuracy {result['country_accuracy']:.3f}\n"
                                      f"sector_accuracy  {result['sector_accuracy']:.3f}")


def run_eval_quotes(args: argparse.Namespace) -> int:
    from .evaluate.quotes import evaluate_quotes, format_quotes_report
    from .runner import report_failure

    pipeline = pipeline_for(args)

    def code(name: str, text: str) -> list[dict]:
        article = next(pipeline.code_articles([Article(id=name, text=text)]))
        if isinstance(article, Failure):
            report_failure(article)
            return []
        return [q.to_dict() for q in article.quotes]

    result = evaluate_quotes(args.gold, code)
    return print_result(args, result, format_quotes_report(result))


def run_eval_extraction(args: argparse.Namespace) -> int:
    from .evaluate.extraction import evaluate_extraction
    from .inputs import read_inputs

    def extract(path: str) -> str:
        return "\n\n".join(a.text for a in read_inputs([path]) if isinstance(a, Article))

    result = evaluate_extraction(args.gold, extract)
    return print_result(args, result, f"pages: {result['n']}\nprecision {result['precision']:.3f}\n"
                                      f"recall    {result['recall']:.3f}\nf1        {result['f1']:.3f}")


def run_eval_stance(args: argparse.Namespace) -> int:
    from .evaluate.stance import evaluate_stance

    model = pipeline_for(args).resources.stance_model
    if model is None:
        raise RuntimeError("the stance model (communique/data/stance_model.npz) is missing: "
                           "run tools/train_stance.py")

    def classify(pairs) -> list[int]:
        return model.probabilities([(p.text, p.first, p.second) for p in pairs]).argmax(axis=1).tolist()

    result = evaluate_stance(args.gold, classify)
    return print_result(args, result, f"pairs: {result['n']}\naccuracy {result['accuracy']:.3f}\n"
                                      f"macro_f1 {result['macro_f1']:.3f}\nF1 by label (0 neutral, 1 +1->2, "
                                      f"2 +2->1, 3 -1->2, 4 -2->1): {result['per_label_f1']}")


def run_eval_alignment(args: argparse.Namespace) -> int:
    from .evaluate.alignment import evaluate_alignment, format_result

    with open_store(args) as store:
        result = evaluate_alignment(store, args.unga, args.first, args.last, args.min_articles, args.bootstrap,
                                    kinds=args.kinds)
    return print_result(args, result, format_result(result))


def run_coalitions(args: argparse.Namespace) -> int:
    import json

    from .analysis.coalitions import coalitions

    with open_store(args) as store:
        found = coalitions(store, args.since, args.until, args.every, args.min_evidence, args.bootstrap)
    if args.json:
        print(json.dumps(found))
    elif not found:
        print("no coalitions: no pair of countries has aligned evidence in this period")
    for bloc in [] if args.json else found:
        stability = "" if bloc["stability"] is None else f", stability {bloc['stability']:.2f}"
        members = " ".join(f"{m} {bloc['membership'][m]:.2f}" if "membership" in bloc else m for m in bloc["members"])
        print(f"{bloc['period']}: {members} ({bloc['evidence']} evidence items{stability})")
    return EXIT_OK


def run_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from .api import create_app, serve_hosts

    db = args.db or default_db()
    app = create_app(db, allowed_hosts=serve_hosts(args.host))  # fails here, before serving, on a missing database
    print(f"communique: serving {db}: open http://{args.host}:{args.port}/ (API under /api/, "
          f"described at /openapi.json); Ctrl-C stops", file=sys.stderr, flush=True)
    if args.workers > 1:
        os.environ["COMMUNIQUE_DB"], os.environ["COMMUNIQUE_HOST"] = db, args.host
        uvicorn.run("communique.api:app_from_env", factory=True, host=args.host, port=args.port,
                    workers=args.workers, log_level="warning")
    else:
        uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return EXIT_OK


def run_report(args: argparse.Namespace) -> int:
    from .api.report import write_report

    with open_store(args) as store:
        write_report(store, args.out, args.since, args.until)
    print(f"communique: wrote {args.out}", file=sys.stderr)
    return EXIT_OK


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except BrokenPipeError:
        return EXIT_OK
    except (OSError, ValueError, RuntimeError) as exc:  # a library's error, said in one line
        print(f"communique: error: {one_line(exc)}", file=sys.stderr)
        return EXIT_USAGE
    except duckdb_error() as exc:
        print(f"communique: error: the database {args.db or default_db()} cannot be read: {one_line(exc)}",
              file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:  # a fault of ours: one line, the traceback on request
        if os.environ.get("COMMUNIQUE_TRACEBACK"):
            raise
        print(f"communique: internal error: {type(exc).__name__}: {one_line(exc)} (please report it; "
              "COMMUNIQUE_TRACEBACK=1 shows the traceback)", file=sys.stderr)
        return EXIT_INTERNAL


def one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def duckdb_error() -> type:
    import duckdb

    return duckdb.Error


if __name__ == "__main__":
    sys.exit(main())
