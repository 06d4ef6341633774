"""The author a project records: the --author given, else SYNTHESE_USER, else the login name."""

from __future__ import annotations

import getpass

from bim.author import author_name


def test_a_given_name_wins(monkeypatch):
    monkeypatch.setenv("SYNTHESE_USER", "alice")
    assert author_name("bob") == "bob"


def test_without_a_name_the_environment_then_the_login_name_say_who(monkeypatch):
    monkeypatch.setenv("SYNTHESE_USER", "alice")
    assert author_name() == "alice"
    monkeypatch.delenv("SYNTHESE_USER")
    monkeypatch.setattr(getpass, "getuser", lambda: "carol")
    assert author_name(None) == "carol"


def test_a_system_that_knows_no_user_still_gets_a_name(monkeypatch):
    monkeypatch.delenv("SYNTHESE_USER", raising=False)

    def unknown():
        raise KeyError("getpwuid(): uid not found: 1000")

    monkeypatch.setattr(getpass, "getuser", unknown)
    assert author_name() == "synthese"
