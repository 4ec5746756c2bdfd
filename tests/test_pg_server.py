import sqlalchemy as sa


def test_both_backends_answer(db_url):
    engine = sa.create_engine(db_url)
    with engine.connect() as conn:
        assert conn.execute(sa.text("select 1 + 1")).scalar() == 2
