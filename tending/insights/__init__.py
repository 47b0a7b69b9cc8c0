"""Insights from a bond's own chat history, read on this server.

Where the code lives, and who runs it:

    chats/      the parsers, shared by both paths: one module per app's export
                (whatsapp, with the shapes and wordings it knows in whatsapp_shapes;
                telegram, signal_app, messenger), the message stream,
                its report and errors (stream), opening files, folders and zips
                (sources), JSON read as a stream (jsonfiles), and format detection with
                the one entry point, `chats.detect.parse`.
    analysis/   folding the stream into monthly figures (indicators, over the
                counters in tallies) and turning them into the JSON report with
                its trends (trends); shared by both paths.
    top level   the web path: models, urls, views, forms, page (the report
                page), charts (its SVG), mapping (who is who), storage (uploads
                on disk), signals (Django's), and jobs, where the worker reads an
                upload with `chats.detect.parse` and `analysis.indicators`.
    cli/        run only by `tending insights FILE` (management/commands/
                insights.py): parallel (one large WhatsApp export on every core)
                and render (the terminal summary and the HTML file, from
                templates/insights/report.html).

Imports run one way: analysis imports chats, never the reverse; the web path
and cli/ build on both (cli/ also draws with charts). chats and analysis use no
Django, and nothing on the web path imports cli/ (tests/test_insights_layout.py
keeps it so).
"""
