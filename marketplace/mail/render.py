"""Every mail in the marketplace's look, as a plain text part and an HTML part.

Callers pass plain strings; each one is escaped here before it enters the HTML, so a display
name like `<b>Eve</b>` arrives as text. Links are only ever the marketplace's own URLs."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

BRAND = "#46a758"  # Radix "grass" 9, the app's accent colour
INK = "#1c2024"
MUTED = "#60646c"


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


@dataclass(frozen=True)
class Button:
    label: str
    url: str


def render_mail(
    *,
    subject: str,
    heading: str,
    paragraphs: list[str],
    button: Button | None = None,
    after: list[str] | None = None,
    footer: str = "You received this mail because you have a Gigworks account.",
    unsubscribe_url: str = "",
) -> Rendered:
    """One mail: heading, paragraphs, an optional button (its URL is repeated in the text part),
    more paragraphs, and a footer (with a one-click unsubscribe link when given)."""
    after = after or []
    text_lines = [heading, "=" * len(heading), ""]
    for paragraph in paragraphs:
        text_lines += [paragraph, ""]
    if button is not None:
        text_lines += [f"{button.label}: {button.url}", ""]
    for paragraph in after:
        text_lines += [paragraph, ""]
    text_lines += ["--", "Gigworks", footer]
    if unsubscribe_url:
        text_lines.append(f"Unsubscribe: {unsubscribe_url}")

    def para(value: str) -> str:
        return (
            f'<p style="margin:0 0 16px;font-size:15px;line-height:1.55;color:{INK}">'
            f"{escape(value)}</p>"
        )

    parts = [para(p) for p in paragraphs]
    if button is not None:
        url = escape(button.url, quote=True)
        parts.append(
            '<p style="margin:24px 0">'
            f'<a href="{url}" style="background:{BRAND};color:#ffffff;text-decoration:none;'
            "padding:12px 22px;border-radius:8px;font-weight:600;font-size:15px;"
            f'display:inline-block">{escape(button.label)}</a></p>'
            f'<p style="margin:0 0 16px;font-size:13px;color:{MUTED}">Or open this address: '
            f'<a href="{url}" style="color:{BRAND}">{escape(button.url)}</a></p>'
        )
    parts += [para(p) for p in after]
    unsubscribe = (
        f' · <a href="{escape(unsubscribe_url, quote=True)}" style="color:{MUTED}">Unsubscribe</a>'
        if unsubscribe_url
        else ""
    )
    html = (
        '<!doctype html><html><head><meta charset="utf-8">'
        f"<title>{escape(subject)}</title></head>"
        '<body style="margin:0;padding:0;background:#f3f4f6;'
        'font-family:-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif">'
        '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" '
        'style="background:#f3f4f6;padding:32px 12px"><tr><td align="center">'
        '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" '
        'style="max-width:560px;background:#ffffff;border-radius:12px;'
        'border:1px solid #e5e7eb">'
        f'<tr><td style="padding:20px 28px;border-bottom:1px solid #e5e7eb">'
        f'<span style="display:inline-block;background:{BRAND};color:#fff;border-radius:8px;'
        'padding:4px 8px;font-weight:700;font-size:14px">G</span>'
        f'<span style="font-weight:700;font-size:20px;color:{INK};margin-left:8px;'
        'vertical-align:middle">gigworks</span></td></tr>'
        f'<tr><td style="padding:28px">'
        f'<h1 style="margin:0 0 18px;font-size:22px;color:{INK}">{escape(heading)}</h1>'
        + "".join(parts)
        + "</td></tr>"
        f'<tr><td style="padding:16px 28px;border-top:1px solid #e5e7eb;font-size:12px;'
        f'color:{MUTED}">{escape(footer)}{unsubscribe}</td></tr>'
        "</table></td></tr></table></body></html>"
    )
    return Rendered(subject=subject, text="\n".join(text_lines) + "\n", html=html)
