"""Reviews on the gig page and the seller profile (summary, list, sort, stars filter, "see more",
the seller's reply, reporting), and the review forms on a completed order's page.

The list holds at most `reviews.MAX_SHOWN` small rows; every argument is checked in
services/reviews/order_reviews.py, which also decides who may write, reply or report.
"""

import dataclasses

import reflex as rx

from marketplace.db import session_scope
from marketplace.services.common.errors import DomainError
from marketplace.services.common.reference import COUNTRIES
from marketplace.services.reviews import order_reviews as reviews
from marketplace.state.base import AppState, public, user_for_session
from marketplace.state.event_args import bounded_text, index_arg
from marketplace.state.format import initials

TEXT_KEEP = 5_000  # what a form keeps of a paste; the service says when it is too long


@dataclasses.dataclass
class ReviewRowView:
    id: int = 0
    buyer: str = ""
    buyer_initials: str = ""
    country: str = ""
    rating: int = 0
    body: str = ""
    date: str = ""
    package: str = ""
    gig_title: str = ""
    reply: str = ""
    reply_date: str = ""
    can_reply: bool = False


@dataclasses.dataclass
class HistogramBar:
    stars: int = 0
    count: int = 0
    percent: str = "0%"


def _row(row: reviews.ReviewRow, viewer_id: int | None) -> ReviewRowView:
    return ReviewRowView(
        id=row.id,
        buyer=row.buyer_name,
        buyer_initials=initials(row.buyer_name),
        country=COUNTRIES.get(row.buyer_country, ""),
        rating=row.rating,
        body=row.body,
        date=row.created_at.strftime("%b %d, %Y"),
        package=row.package,
        gig_title=row.gig_title,
        reply=row.seller_reply,
        reply_date=row.replied_at.strftime("%b %d, %Y") if row.replied_at else "",
        can_reply=viewer_id is not None and viewer_id == row.seller_id and not row.seller_reply,
    )


def _path_kind(path: str) -> str:
    """ "gig" on /gig/<slug>, "u" on /u/<username>, else ""."""
    parts = (path or "").rstrip("/").split("/")
    return parts[1] if len(parts) == 3 and parts[1] in ("gig", "u") else ""


def _read_reviews(session, gig_id, seller_id, sort, stars, shown, with_summary, viewer_id):
    """(viewer id, summary or None, page) of one gig's or seller's reviews: 2 queries (the
    summary's count is the page's total when no star filter is set), 3 with both."""
    summary = reviews.summary(session, gig_id=gig_id, seller_id=seller_id) if with_summary else None
    page = reviews.review_page(
        session,
        gig_id=gig_id,
        seller_id=seller_id,
        sort=sort,
        stars=stars,
        shown=shown,
        total=summary.count if summary is not None and not stars else None,
    )
    return viewer_id, summary, page


NO_REVIEWS = ((0, 0), None)  # what `first_reviews` returns for a page without a gig or seller


def first_reviews(session, scope: tuple, *, gig_id: int, seller_id: int, viewer_id) -> tuple:
    """What `_finish_loading` shows: the ids and the first reviews of the gig (kind "gig") or
    of all the seller's gigs (kind "u"). The page's own read found those ids, in the same
    worker thread and database session; `scope` is what `_begin_loading` returned."""
    kind, sort, stars, shown = scope
    ids = (gig_id or None, None) if kind == "gig" else (None, seller_id or None)
    if ids == (None, None):
        return (gig_id, seller_id), None
    read = _read_reviews(session, *ids, sort, stars, shown, True, viewer_id)
    return (gig_id, seller_id), read


class ReviewListState(AppState):
    """The reviews block of /gig/<slug> (one gig) and /u/<username> (all the seller's gigs)."""

    reviews_loading: bool = True
    scope: str = ""  # "gig" | "u"
    average: str = ""
    count: int = 0
    communication: str = ""
    as_described: str = ""
    recommend_percent: int = 0
    bars: list[HistogramBar] = []
    rows: list[ReviewRowView] = []
    matching: int = 0
    has_more: bool = False
    sort: str = "relevant"
    stars: int = 0
    shown: int = reviews.PAGE
    # the reply dialog
    reply_review_id: int = 0
    reply_text: str = ""
    reply_error: str = ""
    # the report dialog
    report_review_id: int = 0
    report_reason: str = ""
    report_details: str = ""
    report_error: str = ""
    report_done: str = ""
    _gig_id: int = 0
    _seller_id: int = 0

    def _scope_ids(self) -> tuple[int | None, int | None]:
        if self.scope == "gig" and self._gig_id:
            return self._gig_id, None
        if self.scope == "u" and self._seller_id:
            return None, self._seller_id
        return None, None

    def _refresh(self, *, with_summary: bool) -> None:
        gig_id, seller_id = self._scope_ids()
        if gig_id is None and seller_id is None:
            self.count, self.rows, self.matching, self.has_more = 0, [], 0, False
            return
        viewer = user_for_session(self._session_token())
        with session_scope() as session:
            read = _read_reviews(
                session,
                gig_id,
                seller_id,
                self.sort,
                self.stars,
                self.shown,
                with_summary,
                viewer.id if viewer else None,
            )
        self._show(*read)

    def _show(self, viewer_id, summary, page) -> None:
        if summary is not None:
            total = max(1, summary.count)
            self.average = f"{summary.average:.1f}"
            self.count = summary.count
            self.communication = f"{summary.communication:.1f}"
            self.as_described = f"{summary.as_described:.1f}"
            self.recommend_percent = summary.recommend_percent
            self.bars = [
                HistogramBar(stars, count, f"{100 * count / total:.0f}%")
                for stars, count in summary.histogram
            ]
        self.rows = [_row(row, viewer_id) for row in page.rows]
        self.matching = page.total
        self.has_more = page.has_more

    def _begin_loading(self) -> tuple:
        """A new page: the first page, sorted by relevance, dialogs closed. Returns the scope
        for `first_reviews`, which the gig page's and the profile's on_load run in their worker
        thread before `_finish_loading` (one event for the page and its reviews)."""
        kind = _path_kind(self.router.url.path)
        self._assign(reviews_loading=True, scope=kind, sort="relevant", stars=0, shown=reviews.PAGE)
        self._gig_id = self._seller_id = 0
        self._close_dialogs()
        return kind, self.sort, self.stars, self.shown

    def _finish_loading(self, loaded=NO_REVIEWS) -> None:
        """Show what `first_reviews` read (by default: no reviews, for a page not found)."""
        (gig_id, seller_id), shown = loaded
        self._gig_id, self._seller_id = gig_id, seller_id
        if shown is None:
            self._assign(count=0, rows=[], matching=0, has_more=False)
        else:
            self._show(*shown)
        self.reviews_loading = False

    @rx.event
    @public
    def set_sort(self, sort: str):
        if sort in reviews.SORTS:
            self.sort, self.shown = sort, reviews.PAGE
            self._refresh(with_summary=False)

    @rx.event
    @public
    def filter_stars(self, stars: int):
        """0 shows every rating; clicking the chosen star count again clears the filter."""
        stars = index_arg(stars)
        if 0 <= stars <= 5:
            self.stars = 0 if stars == self.stars else stars
            self.shown = reviews.PAGE
            self._refresh(with_summary=False)

    @rx.event
    @public
    def see_more(self):
        self.shown = min(self.shown + reviews.PAGE, reviews.MAX_SHOWN)
        self._refresh(with_summary=False)

    def _close_dialogs(self) -> None:
        self._assign(
            reply_review_id=0,
            reply_text="",
            reply_error="",
            report_review_id=0,
            report_reason="",
            report_details="",
            report_error="",
            report_done="",
        )

    @rx.event
    def open_reply(self, review_id: int):
        self._require_user()
        self._close_dialogs()
        self.reply_review_id = max(0, index_arg(review_id))

    @rx.event
    def set_reply_text(self, text: str):
        self._require_user()
        self.reply_text = bounded_text(text, TEXT_KEEP)

    @rx.event
    def close_dialogs(self, _open: bool = False):
        self._require_user()
        self._close_dialogs()

    @rx.event
    def send_reply(self):
        user = self._require_user()
        try:
            with session_scope() as session:
                reviews.reply(
                    session, actor=user, review_id=self.reply_review_id, text=self.reply_text
                )
        except DomainError as exc:
            self.reply_error = str(exc)
            return
        self._close_dialogs()
        self._refresh(with_summary=False)

    @rx.event
    def open_report(self, review_id: int):
        self._require_user()
        self._close_dialogs()
        self.report_review_id = max(0, index_arg(review_id))

    @rx.event
    def set_report_reason(self, reason: str):
        self._require_user()
        self.report_reason = reason if reason in reviews.REPORT_REASONS else ""

    @rx.event
    def set_report_details(self, text: str):
        self._require_user()
        self.report_details = bounded_text(text, TEXT_KEEP)

    @rx.event
    def send_report(self):
        user = self._require_user()
        try:
            with session_scope() as session:
                reviews.report(
                    session,
                    actor=user,
                    review_id=self.report_review_id,
                    reason=self.report_reason,
                    details=self.report_details,
                )
        except DomainError as exc:
            self.report_error = str(exc)
            return
        self.report_done = "Thanks: our moderators will look at this review."


def _stars_arg(value: object) -> int:
    stars = index_arg(value)
    return stars if 1 <= stars <= 5 else 0


class OrderReviewState(AppState):
    """The review panel of /orders/<code>, once the order is completed."""

    review_loaded: bool = False
    role: str = ""
    can_review: bool = False
    closes_at: str = ""
    other_side_waiting: bool = False
    # the viewer's review, once written
    mine_rating: int = 0
    mine_body: str = ""
    mine_published: bool = False
    # the other side's, once published
    theirs_rating: int = 0
    theirs_body: str = ""
    theirs_date: str = ""
    theirs_reply: str = ""
    can_reply: bool = False
    review_id: int = 0
    # the form
    rating: int = 0
    communication: int = 0
    as_described: int = 0
    recommend: str = ""  # "yes" | "no" | ""
    body: str = ""
    reply_text: str = ""
    form_error: str = ""
    reply_error: str = ""
    _code: str = ""

    def _load(self, user) -> None:
        parts = (self.router.url.path or "").rstrip("/").split("/")
        code = parts[2][:20] if len(parts) == 3 and parts[1] == "orders" else ""
        self._code = ""
        self.review_loaded = False
        try:
            with session_scope() as session:
                order = reviews.visible_order(session, code=code, viewer=user)
                panel = reviews.order_reviews(session, actor=user, order=order)
                completed = order.status == "completed"
        except DomainError:
            return
        self._code = code
        self.review_loaded = completed
        self.role = panel.role
        self.can_review = panel.can_review
        self.closes_at = panel.closes_at.strftime("%b %d, %Y") if panel.closes_at else ""
        self.other_side_waiting = panel.other_side_waiting
        mine, theirs = panel.mine, panel.theirs
        self.mine_rating = mine.rating if mine else 0
        self.mine_body = mine.body if mine else ""
        self.mine_published = bool(mine and mine.published)
        self.theirs_rating = theirs.rating if theirs else 0
        self.theirs_body = theirs.body if theirs else ""
        self.theirs_date = theirs.created_at.strftime("%b %d, %Y") if theirs else ""
        self.theirs_reply = theirs.seller_reply if theirs else ""
        self.can_reply = panel.can_reply
        self.review_id = panel.review_id or 0

    @rx.event
    def load_order_reviews(self):
        user = self._require_user()
        self.rating = self.communication = self.as_described = 0
        self.recommend, self.body, self.reply_text = "", "", ""
        self.form_error = self.reply_error = ""
        self._load(user)

    @rx.event
    def set_stars(self, which: str, value: int):
        self._require_user()
        stars = _stars_arg(value)
        if which in ("rating", "communication", "as_described") and stars:
            setattr(self, which, stars)

    @rx.event
    def set_recommend(self, value: str):
        self._require_user()
        self.recommend = value if value in ("yes", "no") else ""

    @rx.event
    def set_body(self, text: str):
        self._require_user()
        self.body = bounded_text(text, TEXT_KEEP)

    @rx.event
    def set_order_reply_text(self, text: str):
        self._require_user()
        self.reply_text = bounded_text(text, TEXT_KEEP)

    @rx.event
    def submit_review(self):
        user = self._require_user()
        try:
            with session_scope() as session:
                if self.role == "buyer":
                    reviews.submit_buyer_review(
                        session,
                        actor=user,
                        order_code=self._code,
                        rating=self.rating,
                        communication=self.communication,
                        as_described=self.as_described,
                        recommend={"yes": True, "no": False}.get(self.recommend),
                        body=self.body,
                    )
                else:
                    reviews.submit_seller_review(
                        session, actor=user, order_code=self._code, rating=self.rating,
                        body=self.body,
                    )  # fmt: skip
        except DomainError as exc:
            self.form_error = str(exc)
            return
        self.form_error = ""
        self._load(user)

    @rx.event
    def submit_reply(self):
        user = self._require_user()
        try:
            with session_scope() as session:
                reviews.reply(session, actor=user, review_id=self.review_id, text=self.reply_text)
        except DomainError as exc:
            self.reply_error = str(exc)
            return
        self.reply_error = ""
        self._load(user)

    @rx.var
    def body_count(self) -> str:
        return f"{len(self.body):,} / {reviews.MAX_BODY:,}"


@dataclasses.dataclass
class ReviewToWriteView:
    code: str = ""
    title: str = ""


class ReviewsToWriteState(AppState):
    """The "Leave a review" reminder on /orders: completed orders still waiting for the viewer."""

    waiting: list[ReviewToWriteView] = []

    @rx.event
    def load_reviews_to_write(self):
        user = self._require_user()
        with session_scope() as session:
            rows = reviews.reviews_to_write(session, actor=user)[:5]
        self.waiting = [ReviewToWriteView(row.code, row.title) for row in rows]
