"""SEARCH_BACKEND: the backends' names, and why the PostgreSQL one cannot run on a database of
another kind (said at start-up, and by a search that finds it so)."""

WHOOSH, POSTGRESQL = "whoosh", "postgresql"


def refusal(dialect: str) -> str:
    """Why the PostgreSQL backend cannot run on a database of `dialect`, in Indonesian."""
    return (
        f"LEGALBASE_SEARCH_BACKEND={POSTGRESQL} memerlukan basis data PostgreSQL, sedangkan "
        f"basis data ini {dialect}. Setel LEGALBASE_DATABASE_URL ke PostgreSQL "
        f"(postgresql+psycopg://...) atau pakai LEGALBASE_SEARCH_BACKEND={WHOOSH}."
    )
