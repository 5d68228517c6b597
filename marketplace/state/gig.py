"""The public gig page `/gig/<slug>`: anyone may view an active gig; the seller and admins also
see their gigs that buyers cannot. Choosing a package and extras is client state only: nothing
is written, and every index from the browser is checked against what was loaded."""

import asyncio
from urllib.parse import urlencode

import reflex as rx

from marketplace.db import session_scope
from marketplace.services.common.errors import NotFound
from marketplace.services.gigs import pages as gig_pages
from marketplace.services.orders import pricing
from marketplace.settings import get_settings
from marketplace.state import reviews as review_list
from marketplace.state.base import AppState, public, user_for_session
from marketplace.state.event_args import index_arg
from marketplace.state.favorites import FavoritesState
from marketplace.state.format import money
from marketplace.state.view_models import GigPageView


def _slug_from_path(path: str) -> str:
    """ "/gig/<slug>" -> "<slug>"; anything else -> "" (which the service treats as not found)."""
    parts = (path or "").rstrip("/").split("/")
    return parts[2] if len(parts) == 3 and parts[1] == "gig" else ""


def _gig_page(slug: str, session_token: str | None, reviews_scope: tuple) -> tuple:
    """The page's reads, the gig's and its first reviews', in a worker thread: a sync handler
    would hold the event loop (and every other tab of this worker) while the database
    answers. NotFound if the viewer may not see the gig."""
    viewer = user_for_session(session_token)
    with session_scope() as session:
        page = gig_pages.gig_page(session, slug=slug, viewer=viewer)
        first = review_list.first_reviews(
            session,
            reviews_scope,
            gig_id=page.id,
            seller_id=page.seller.user_id,
            viewer_id=viewer.id if viewer else None,
        )
    return page, first


# What the price, delivery and checkout link of the gig page follow (see GigPageState._selected).
# Named, not found by Reflex (auto_deps=False): these vars read the gig through helpers that
# skip Reflex's change-tracking wrappers, which its bytecode scan cannot follow.
PRICE_DEPS = ["gig", "selected_tier", "chosen_extras"]


class GigPageState(AppState):
    loading: bool = True
    found: bool = True
    gig: GigPageView = GigPageView()
    selected_tier: str = ""
    chosen_extras: list[int] = []
    image_index: int = 0
    slug: str = ""

    @rx.var
    def page_title(self) -> str:
        """The browser tab's title: the gig's own, once it has loaded."""
        if not self.found:
            return "Gig not found · Gigworks"
        return f"{self.gig.title} · Gigworks" if self.gig.title else "Gig · Gigworks"

    @rx.event
    @public
    async def load(self):
        """on_load: the gig, its reviews block, the header's viewer and the hearts (one event:
        `page(..., loads_viewer=True)`)."""
        (await self.get_state(FavoritesState))._refresh_viewer_and_hearts()
        wanted = _slug_from_path(self.router.url.path)
        self._assign(loading=True, selected_tier="", chosen_extras=[], image_index=0)
        # The reviews block loads in this event too (one event and one update fewer per page).
        reviews_block = await self.get_state(review_list.ReviewListState)
        scope = reviews_block._begin_loading()
        yield
        try:
            found, reviews_loaded = await asyncio.to_thread(
                _gig_page, wanted, self._session_token(), scope
            )
        except NotFound:
            self.found = False
            self.gig = GigPageView()
            self.loading = False
            reviews_block._finish_loading()
            return
        reviews_block._finish_loading(reviews_loaded)
        self.gig = GigPageView.from_page(found)
        self.slug = found.slug
        self.selected_tier = self.gig.packages[0].tier if self.gig.packages else ""
        self.found = True
        self.loading = False

    @rx.event
    @public
    def select_package(self, tier: str):
        if isinstance(tier, str) and any(p.tier == tier for p in self.gig.packages):
            self.selected_tier = tier

    @rx.event
    @public
    def toggle_extra(self, index: int, checked: bool):
        index = index_arg(index)
        if not 0 <= index < len(self.gig.extras) or not isinstance(checked, bool):
            return
        if self.selected_tier in self.gig.extras[index].included_in:
            return  # the chosen package already includes it
        chosen = set(self.chosen_extras) - {index}
        if checked:
            chosen.add(index)
        self.chosen_extras = sorted(chosen)

    @rx.event
    @public
    def show_image(self, index: int):
        index = index_arg(index)
        if 0 <= index < len(self.gig.images):
            self.image_index = index

    # The helpers below only read: they take the loaded gig without Reflex's change-tracking
    # wrappers (a wrapped read of each package and extra cost more than the pricing itself),
    # so the vars that call them name `gig` and `chosen_extras` in their deps.
    def _selected(self):
        packages = self.get_value("gig").packages
        for package in packages:
            if package.tier == self.selected_tier:
                return package
        return packages[0] if packages else None

    def _chosen(self):
        """The ticked extras the selected package does not already include."""
        chosen = self.get_value("chosen_extras")
        package = self._selected()
        tier = package.tier if package is not None else ""
        return [
            e
            for i, e in enumerate(self.get_value("gig").extras)
            if i in chosen and tier not in e.included_in
        ]

    def _price(self):
        """The one price function (services/orders/pricing.py); the page shows the subtotal,
        checkout adds the service fee."""
        package = self._selected()
        if package is None or package.price_cents <= 0:
            return None
        settings = get_settings()
        return pricing.price(
            package_price_cents=package.price_cents,
            package_delivery_days=package.delivery_days,
            package_revisions=0,
            extras=[pricing.ExtraLine(e.price_cents, e.extra_days, "") for e in self._chosen()],
            buyer_fee_bps=settings.buyer_fee_bps,
            seller_commission_bps=settings.seller_commission_bps,
        )

    @rx.var(deps=PRICE_DEPS, auto_deps=False)
    def total_text(self) -> str:
        quoted = self._price()
        return "" if quoted is None else money(quoted.subtotal_cents)

    @rx.var(deps=PRICE_DEPS, auto_deps=False)
    def delivery_text(self) -> str:
        quoted = self._price()
        if quoted is None:
            return ""
        days = quoted.delivery_days
        return f"{days} day" if days == 1 else f"{days} days"

    @rx.var(deps=["gig", "chosen_extras"], auto_deps=False)
    def extras_text(self) -> str:
        count = len(self._chosen())
        return "" if count == 0 else f"{count} extra" if count == 1 else f"{count} extras"

    @rx.var
    def current_image(self) -> str:
        images = self.gig.images
        if not images:
            return ""
        return images[self.image_index] if 0 <= self.image_index < len(images) else images[0]

    @rx.var(deps=[*PRICE_DEPS, "slug"], auto_deps=False)
    def checkout_url(self) -> str:
        """Where "Continue" goes: checkout with this package, extras and quantity; a visitor
        signs in first and comes back to it. "" when the viewer cannot order (their own gig,
        a gig not on sale)."""
        package = self._selected()
        if package is None or self.gig.is_owner or self.gig.status != "active" or not self.slug:
            return ""
        params = {"package": package.tier, "qty": "1"}
        if self._chosen():
            params["extras"] = ",".join(str(e.id) for e in self._chosen())
        url = f"/checkout/{self.slug}?" + urlencode(params)
        if not self.viewer_signed_in:
            return "/login?" + urlencode({"next": url})
        return url
