"""outlets coverage: outlet details (codes, hours, categories, staff, agreement) and the
reference table of prefecture-level cities (filled by `aftersales outlets load-cities`)

Revision ID: 9092d14e90a6
Revises: 84e324f88295
Create Date: 2026-11-23 12:35:15.106514

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '9092d14e90a6'
down_revision = '84e324f88295'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('cities',
    sa.Column('code', sa.String(length=6), nullable=False),
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('province_code', sa.String(length=6), nullable=False),
    sa.Column('province', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('latitude', sa.Float(), nullable=False),
    sa.Column('longitude', sa.Float(), nullable=False),
    sa.CheckConstraint("kind IN ('prefecture', 'municipality')", name=op.f('ck_cities_known_kind')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_cities'))
    )
    with op.batch_alter_table('cities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cities_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_cities_province_code'), ['province_code'], unique=False)

    with op.batch_alter_table('outlets', schema=None) as batch_op:
        # Defaults only for the rows already there; the codes are filled in just below.
        batch_op.add_column(sa.Column('province_code', sa.String(length=6), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('city_code', sa.String(length=6), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('opening_hours', sa.String(length=100), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('categories', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('staff_count', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('agreement_starts_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('agreement_ends_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('agreement_file_key', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('agreement_file_name', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('agreement_content_type', sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_outlets_city_code'), ['city_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_outlets_province_code'), ['province_code'], unique=False)
        batch_op.create_check_constraint(op.f('ck_outlets_staff_count_not_negative'), 'staff_count >= 0')
        batch_op.create_check_constraint(
            op.f('ck_outlets_agreement_ends_after_it_starts'),
            'agreement_ends_on IS NULL OR agreement_starts_on IS NULL'
            ' OR agreement_ends_on >= agreement_starts_on',
        )

    # The prefecture-level city and province of an existing outlet, from its region code.
    op.execute(
        "UPDATE outlets SET city_code = substr(region_code, 1, 4) || '00',"
        " province_code = substr(region_code, 1, 2) || '0000'"
    )
    with op.batch_alter_table('outlets', schema=None) as batch_op:
        for column in ('province_code', 'city_code', 'opening_hours', 'categories', 'staff_count'):
            batch_op.alter_column(column, server_default=None)


def downgrade():
    with op.batch_alter_table('outlets', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_outlets_agreement_ends_after_it_starts'), type_='check')
        batch_op.drop_constraint(op.f('ck_outlets_staff_count_not_negative'), type_='check')
        batch_op.drop_index(batch_op.f('ix_outlets_province_code'))
        batch_op.drop_index(batch_op.f('ix_outlets_city_code'))
        batch_op.drop_column('agreement_content_type')
        batch_op.drop_column('agreement_file_name')
        batch_op.drop_column('agreement_file_key')
        batch_op.drop_column('agreement_ends_on')
        batch_op.drop_column('agreement_starts_on')
        batch_op.drop_column('staff_count')
        batch_op.drop_column('categories')
        batch_op.drop_column('opening_hours')
        batch_op.drop_column('city_code')
        batch_op.drop_column('province_code')

    with op.batch_alter_table('cities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cities_province_code'))
        batch_op.drop_index(batch_op.f('ix_cities_name'))

    op.drop_table('cities')
