"""legalbase: the legal basis of Indonesia's regional TPPO task forces.

`create_app` reads as the table of contents: settings, database, the kinds of job each room
runs, API and its rooms, error handlers, command line.
"""

from pathlib import Path

from flask import Flask

from . import search
from .core import audit as _audit  # noqa: F401  (registers the append-only guard and the model)
from .core import db, errors
from .core.config import ensure_secret_key, load_settings
from .service import headers
from .service.app import LegalbaseFlask


def create_app(config: dict | None = None) -> Flask:
    """Build the legalbase Flask application."""
    settings = load_settings(config)
    app = LegalbaseFlask(__name__, instance_path=settings["INSTANCE_DIR"], static_folder=None)
    app.config.update(settings)
    app.config["MAX_CONTENT_LENGTH"] = settings["MAX_UPLOAD_BYTES"]
    app.config["SECRET_KEY"] = settings["SECRET_KEY"] or ensure_secret_key(Path(app.instance_path))
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    db.init_app(app)
    search.init_app(app)
    _register_job_kinds()
    _register_api(app)
    errors.register(app)
    headers.register(app)
    _register_pages(app)
    _register_commands(app)
    return app


def _register_job_kinds() -> None:
    """Every room's kinds of job, so a job runner in any process can run any queued job."""
    from .corpus import register_job_kinds as corpus_job_kinds
    from .drafting import register_job_kinds as drafting_job_kinds
    from .reporting import register_job_kinds as reporting_job_kinds

    corpus_job_kinds()
    drafting_job_kinds()
    reporting_job_kinds()


def _register_api(app: Flask) -> None:
    from .accounts.auth import authenticate_api_request
    from .accounts.views import blp as accounts_blp
    from .corpus.exchange_views import blp as exchange_blp
    from .corpus.folder_views import blp as folder_import_blp
    from .corpus.views import blp as corpus_blp
    from .coverage.views import blp as coverage_blp
    from .drafting import impact_views  # noqa: F401  (nests /coverage/impact in coverage_blp)
    from .drafting.template_views import blp as template_uploads_blp
    from .drafting.views import blp as drafting_blp
    from .drafting.views import templates_blp
    from .jobs.views import blp as jobs_blp
    from .regions.views import blp as regions_blp
    from .reporting import views as report_views  # noqa: F401  (nests /coverage/report.*)
    from .reporting.letter_views import blp as letters_blp
    from .search.views import blp as search_blp
    from .service.api import LegalbaseApi
    from .service.health import blp as health_blp

    api = LegalbaseApi(app)
    for blueprint in (
        health_blp,
        accounts_blp,
        regions_blp,
        corpus_blp,
        exchange_blp,
        folder_import_blp,
        coverage_blp,
        templates_blp,
        template_uploads_blp,
        drafting_blp,
        jobs_blp,
        search_blp,
        letters_blp,
    ):
        api.register_blueprint(blueprint)
    app.before_request(authenticate_api_request)


def _register_pages(app: Flask) -> None:
    from .web.admin import bp as admin_bp
    from .web.admin_templates import bp as admin_templates_bp
    from .web.jobs import bp as jobs_pages_bp
    from .web.monitoring import bp as monitoring_bp
    from .web.session import PageSessionInterface
    from .web.views import bp as web_bp
    from .web.workspace import bp as workspace_bp

    app.config["SESSION_COOKIE_SAMESITE"] = app.config["SESSION_COOKIE_SAMESITE"] or "Lax"
    app.session_interface = PageSessionInterface()
    app.register_blueprint(web_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(admin_templates_bp)
    app.register_blueprint(jobs_pages_bp)
    app.register_blueprint(monitoring_bp)
    app.register_blueprint(workspace_bp)


def _register_commands(app: Flask) -> None:
    from .accounts.cli import users_group
    from .cli import db_group, serve_command, setup_command
    from .corpus import exchange_cli  # noqa: F401  (adds its commands to the corpus group)
    from .corpus.cli import corpus_group
    from .coverage.cli import coverage_group
    from .drafting.cli import drafts_group
    from .jobs.cli import jobs_group
    from .ops.backup import backup_command
    from .ops.check import check_command
    from .ops.restore import restore_command
    from .reporting import cli as reporting_cli  # noqa: F401  (DOCX/PDF in coverage report)
    from .search.cli import search_group

    for command in (
        db_group,
        corpus_group,
        coverage_group,
        drafts_group,
        jobs_group,
        users_group,
        search_group,
        setup_command,
        serve_command,
        backup_command,
        restore_command,
        check_command,
    ):
        app.cli.add_command(command)
