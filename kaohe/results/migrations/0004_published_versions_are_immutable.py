"""A version in public notice or final never changes: the database itself refuses an update.

The triggers guard every way in (a page, the API, a service, a shell): an UPDATE of a public run's
inputs or outcome, or of any of its units' results, is aborted. Deleting is left to the administrator
(no page deletes a run; the demo's --reset deletes whole cycles).
"""

from django.db import migrations

RUN_COLUMNS = ("cycle_id", "number", "status", "created_by_id", "created_at", "fingerprint", "scenario", "warnings",
               "errors", "indicator_names", "stage", "reason", "notice_at", "notice_by_id", "supersedes_id")

SQLITE = [
    # a run's content is frozen from its notice on (only the final publication may still be recorded)
    "CREATE TRIGGER results_run_frozen BEFORE UPDATE ON results_run FOR EACH ROW "
    "WHEN OLD.notice_at IS NOT NULL AND (" + " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in RUN_COLUMNS)
    + " OR (OLD.published_at IS NOT NULL AND (NEW.published_at IS NOT OLD.published_at "
      "OR NEW.published_by_id IS NOT OLD.published_by_id))) "
    "BEGIN SELECT RAISE(ABORT, 'kaohe: a published version cannot be changed'); END",
    "CREATE TRIGGER results_rununit_frozen BEFORE UPDATE ON results_rununit FOR EACH ROW "
    "WHEN EXISTS (SELECT 1 FROM results_run r WHERE r.id IN (OLD.run_id, NEW.run_id) AND r.notice_at IS NOT NULL) "
    "BEGIN SELECT RAISE(ABORT, 'kaohe: a published version cannot be changed'); END",
    "CREATE TRIGGER results_rununit_frozen_insert BEFORE INSERT ON results_rununit FOR EACH ROW "
    "WHEN EXISTS (SELECT 1 FROM results_run r WHERE r.id = NEW.run_id AND r.notice_at IS NOT NULL) "
    "BEGIN SELECT RAISE(ABORT, 'kaohe: a published version cannot be changed'); END",
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS results_run_frozen", "DROP TRIGGER IF EXISTS results_rununit_frozen",
               "DROP TRIGGER IF EXISTS results_rununit_frozen_insert"]

POSTGRES = [
    """
    CREATE OR REPLACE FUNCTION kaohe_run_frozen() RETURNS trigger AS $$
    BEGIN
      IF OLD.notice_at IS NOT NULL AND (
           (""" + " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in RUN_COLUMNS if c != "scenario")
    + """ OR NEW.scenario::text IS DISTINCT FROM OLD.scenario::text)
           OR (OLD.published_at IS NOT NULL AND (NEW.published_at IS DISTINCT FROM OLD.published_at
               OR NEW.published_by_id IS DISTINCT FROM OLD.published_by_id))) THEN
        RAISE EXCEPTION 'kaohe: a published version cannot be changed';
      END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql
    """,
    "CREATE TRIGGER results_run_frozen BEFORE UPDATE ON results_run FOR EACH ROW EXECUTE FUNCTION kaohe_run_frozen()",
    """
    CREATE OR REPLACE FUNCTION kaohe_rununit_frozen() RETURNS trigger AS $$
    BEGIN
      IF EXISTS (SELECT 1 FROM results_run r WHERE r.notice_at IS NOT NULL AND
                 (r.id = NEW.run_id OR (TG_OP = 'UPDATE' AND r.id = OLD.run_id))) THEN
        RAISE EXCEPTION 'kaohe: a published version cannot be changed';
      END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql
    """,
    "CREATE TRIGGER results_rununit_frozen BEFORE INSERT OR UPDATE ON results_rununit FOR EACH ROW "
    "EXECUTE FUNCTION kaohe_rununit_frozen()",
]
POSTGRES_DROP = ["DROP TRIGGER IF EXISTS results_run_frozen ON results_run",
                 "DROP TRIGGER IF EXISTS results_rununit_frozen ON results_rununit",
                 "DROP FUNCTION IF EXISTS kaohe_run_frozen()", "DROP FUNCTION IF EXISTS kaohe_rununit_frozen()"]


def _run(statements_by_vendor):
    def apply(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)
    return apply


def published_before_versions(apps, schema_editor):
    """Runs published before versions existed were final at once: they were in notice from that moment."""
    Run = apps.get_model("results", "Run")
    for run in Run.objects.filter(published_at__isnull=False, notice_at__isnull=True):
        run.notice_at, run.notice_by_id = run.published_at, run.published_by_id
        run.save(update_fields=["notice_at", "notice_by"])


class Migration(migrations.Migration):
    dependencies = [("results", "0003_versions")]

    operations = [
        migrations.RunPython(published_before_versions, migrations.RunPython.noop),
        migrations.RunPython(_run({"sqlite": SQLITE, "postgresql": POSTGRES}),
                             _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP})),
    ]
