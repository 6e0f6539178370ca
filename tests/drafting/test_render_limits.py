"""The sandbox drafts render in: no internals, and bounded in time, output and value size."""

import time

import pytest
from jinja2 import StrictUndefined
from jinja2.sandbox import SecurityError

from legalbase.drafting.render import BoundedSandbox, sandbox


def render(source, seconds=1.0, **context):
    environment = BoundedSandbox(seconds=seconds, autoescape=True, undefined=StrictUndefined)
    return environment.from_string(source).render(context)


def test_ordinary_templates_render_as_in_jinja():
    source = (
        "{% for row in rows %}{{ loop.index }}. {{ row|upper }}{% if not loop.last %}; "
        "{% endif %}{% endfor %} {{ 'x'|center(5) }} {{ 2 ** 10 }} {{ 'a' ~ 'b' }}"
    )
    assert render(source, rows=["ketua", "anggota"]) == "1. KETUA; 2. ANGGOTA   x   1024 ab"


@pytest.mark.parametrize(
    "payload",
    [
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
        "{{ self._TemplateReference__context }}",
        "{{ lipsum.__globals__['os'] }}",
        "{{ ().__class__.__base__.__subclasses__() }}",
    ],
)
def test_sandbox_escapes_are_refused(payload):
    with pytest.raises(SecurityError):
        render(payload)


@pytest.mark.parametrize(
    "bomb",
    [
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
        "{% for a in [1,2,3,4,5,6,7,8,9,10] %}{% for b in [1,2,3,4,5,6,7,8,9,10] %}"
        "{% for c in range(100000) %}{% for d in range(100000) %}{% endfor %}{% endfor %}"
        "{% endfor %}{% endfor %}",
    ],
)
def test_a_loop_bomb_stops_at_the_render_deadline(bomb):
    started = time.monotonic()
    with pytest.raises(SecurityError, match="batas waktu"):
        render(bomb, seconds=0.5)
    assert time.monotonic() - started < 3


@pytest.mark.parametrize(
    "bomb, words",
    [
        ("{{ 'x' * 10**9 }}", "terlalu panjang"),
        ("{{ [1] * 10**8 }}", "terlalu panjang"),
        ("{{ 7 ** 100000000 }}", "pangkat"),
        ("{{ 'x'|center(10**9) }}", "lebar"),
        ("{{ 'x'|indent(10**9, true) }}", "lebar"),
        ("{{ '%s' % ('x' * 999999) ~ ('x' * 999999) }}", "terlalu panjang"),
        ("{{ range(100000)|join('x' * 999) }}", "terlalu panjang"),
    ],
)
def test_expressions_building_huge_values_are_refused_before_they_exist(bomb, words):
    with pytest.raises(SecurityError, match=words):
        render(bomb)


def test_output_beyond_the_size_limit_is_refused():
    bomb = (
        "{% for i in range(100000) %}{% for j in range(1000) %}{{ 'x' * 999 }}{% endfor %}"
        "{% endfor %}"
    )
    with pytest.raises(SecurityError, match="ukuran"):
        render(bomb, seconds=60)


def test_each_render_gets_its_own_deadline():
    loop = "{% for i in range(3) %}{{ i }}{% endfor %}"
    spent = BoundedSandbox(seconds=0.05, undefined=StrictUndefined)
    time.sleep(0.1)
    with pytest.raises(SecurityError, match="batas waktu"):
        spent.from_string(loop).render()
    assert sandbox().from_string(loop).render() == "012"
