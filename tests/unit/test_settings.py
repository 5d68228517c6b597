"""Settings: documented defaults, and bad values refused at start-up naming the variable."""

import pytest

from marketplace.settings import (
    LOCAL_STRIPE_SECRET_KEY,
    SettingsError,
    load_settings,
)


@pytest.fixture
def base_env(tmp_path):
    return {"GIGWORKS_DATA_DIR": str(tmp_path)}


def test_defaults_run_locally_with_no_configuration(base_env, tmp_path):
    settings = load_settings(base_env)
    assert settings.database_url == f"sqlite:///{tmp_path / 'gigworks.db'}"
    assert settings.redis_url is None
    assert settings.meili_url == "http://127.0.0.1:7700"
    assert settings.meili_is_local
    assert settings.stripe_secret_key == LOCAL_STRIPE_SECRET_KEY
    assert settings.stripe_api_base == "http://127.0.0.1:8420"
    assert settings.buyer_fee_bps == 550
    assert settings.seller_commission_bps == 2000
    assert settings.currency == "usd"
    assert settings.active_gig_limits == {"new": 4, "level_1": 10, "level_2": 20, "top_rated": 30}
    assert settings.oidc_providers == ()


def test_generated_secrets_are_kept_in_the_data_folder(base_env, tmp_path):
    first = load_settings(base_env)
    second = load_settings(base_env)
    assert len(first.secret_key) >= 32
    assert first.secret_key == second.secret_key
    assert (tmp_path / "secret_key").read_text() == first.secret_key
    assert first.meili_master_key == (tmp_path / "meili_master_key").read_text()
    assert oct((tmp_path / "secret_key").stat().st_mode & 0o777) == "0o600"


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("DATABASE_URL", "mysql://x/y", "DATABASE_URL"),
        ("REDIS_URL", "http://localhost", "REDIS_URL"),
        ("PORT", "eighty", "PORT"),
        ("PORT", "70000", "PORT"),
        ("MEILI_URL", "localhost:7700", "MEILI_URL"),
        ("STRIPE_SECRET_KEY", "pk_live_oops", "STRIPE_SECRET_KEY"),
        ("BUYER_FEE_PERCENT", "five", "BUYER_FEE_PERCENT"),
        ("BUYER_FEE_PERCENT", "120", "BUYER_FEE_PERCENT"),
        ("SELLER_COMMISSION_PERCENT", "20.125", "SELLER_COMMISSION_PERCENT"),
        ("CURRENCY", "dollars", "CURRENCY"),
        ("AUTO_COMPLETE_DAYS", "0", "AUTO_COMPLETE_DAYS"),
        ("GIG_AUTO_APPROVE", "maybe", "GIG_AUTO_APPROVE"),
        ("ACTIVE_GIG_LIMITS", "4,10", "ACTIVE_GIG_LIMITS"),
        ("SECRET_KEY", "short", "SECRET_KEY"),
        ("OIDC_PROVIDERS", "acme", "OIDC_ACME_CLIENT_ID"),
    ],
)
def test_bad_values_fail_naming_the_variable(base_env, name, value, message):
    with pytest.raises(SettingsError, match=message):
        load_settings({**base_env, name: value})


def test_external_meilisearch_needs_its_key(base_env):
    with pytest.raises(SettingsError, match="MEILI_MASTER_KEY"):
        load_settings({**base_env, "MEILI_URL": "https://search.example.com"})
    settings = load_settings(
        {**base_env, "MEILI_URL": "https://search.example.com/", "MEILI_MASTER_KEY": "k" * 20}
    )
    assert settings.meili_url == "https://search.example.com"
    assert not settings.meili_is_local


def test_real_stripe_key_talks_to_stripe_and_needs_a_publishable_key(base_env):
    env = {**base_env, "STRIPE_SECRET_KEY": "sk_test_real"}
    with pytest.raises(SettingsError, match="STRIPE_PUBLISHABLE_KEY"):
        load_settings(env)
    settings = load_settings({**env, "STRIPE_PUBLISHABLE_KEY": "pk_test_real"})
    assert settings.stripe_api_base is None
    assert not settings.stripe_is_local


def test_percentages_become_basis_points(base_env):
    settings = load_settings(
        {**base_env, "BUYER_FEE_PERCENT": "2.25", "SELLER_COMMISSION_PERCENT": "15"}
    )
    assert (settings.buyer_fee_bps, settings.seller_commission_bps) == (225, 1500)


def test_postgres_url_is_normalised(base_env):
    settings = load_settings({**base_env, "DATABASE_URL": "postgres://u@h/db"})
    assert settings.database_url == "postgresql+psycopg2://u@h/db"
    assert not settings.is_sqlite


def test_oidc_presets_and_custom_providers(base_env):
    settings = load_settings(
        {
            **base_env,
            "OIDC_PROVIDERS": "dev, google, acme",
            "OIDC_GOOGLE_CLIENT_ID": "gid",
            "OIDC_GOOGLE_CLIENT_SECRET": "gsecret",
            "OIDC_ACME_CLIENT_ID": "aid",
            "OIDC_ACME_ISSUER": "https://id.acme.test/",
            "OIDC_ACME_LABEL": "Acme ID",
        }
    )
    dev, google, acme = settings.oidc_providers
    assert (dev.name, dev.label, dev.client_id) == ("dev", "Dev SSO", "gigworks-dev")
    assert google.issuer == "https://accounts.google.com"
    assert (acme.issuer, acme.label) == ("https://id.acme.test", "Acme ID")
