"""Storage: SQLAlchemy Core schema, Alembic migrations, and the reads and writes of records."""
