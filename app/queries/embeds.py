"""The embed widgets' data: the permalink's and the actor page's view data, cut down to a compact card.

Built from get_proposal / get_actor (the same view functions the pages and the API use), so an embed
never says something its page does not."""

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from app.i18n import gettext as _
from app.models import Basis, Position
from app.queries.actors import get_actor
from app.queries.proposals import effective_position, get_proposal
from app.schemas import POSITIONS, ActorDetail, DateOut, ProposalDetail, ReactionOut
from app.vocabulary import basis_note
from app.summaries import embed_date_line

# A quote longer than this is cut at a word boundary (with "…"); the permalink has it in full.
SHORT_QUOTE_CHARS = 180


@dataclass(frozen=True)
class EmbedQuote:
    text: str  # the English words, as said
    speaker: str
    shortened: bool
    translation: str = ""  # our translation beside them, in the page's language ("" in English)


@dataclass(frozen=True)
class EmbedGroup:
    position: Position
    names: list[str]  # actor names on a proposal embed, proposal titles on an actor embed
    quote: EmbedQuote | None


@dataclass(frozen=True)
class ProposalEmbed:
    proposal: ProposalDetail
    groups: list[EmbedGroup]
    latest: DateOut | None  # the latest dated reaction in view: "the state of play as last reported"
    as_of: dt.date | None = None
    kind: str = field(default="proposal")

    @property
    def title(self) -> str:
        return self.proposal.title

    @property
    def url(self) -> str:
        return self.proposal.url

    @property
    def date_line(self) -> str:
        return embed_date_line(self.as_of, self.latest.label if self.latest else None, len(self.proposal.reactions))


@dataclass(frozen=True)
class ActorEmbed:
    actor: ActorDetail
    groups: list[EmbedGroup]
    latest: DateOut | None
    as_of: dt.date | None = None
    kind: str = field(default="actor")

    @property
    def title(self) -> str:
        return self.actor.name

    @property
    def url(self) -> str:
        return self.actor.url

    @property
    def date_line(self) -> str:
        return embed_date_line(self.as_of, self.latest.label if self.latest else None, self.actor.reaction_count)


def short_quote(text: str, limit: int = SHORT_QUOTE_CHARS) -> tuple[str, bool]:
    if len(text) <= limit:
        return text, False
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:—–- ")
    return cut + "…", True


def _quote(reactions: list[ReactionOut], speaker_of) -> EmbedQuote | None:  # type: ignore[no-untyped-def]
    """The group's shortest quote, so that it is most often shown whole."""
    # Only a stance stated outright lends its quote to the group: an inferred or reported one's words are not that position.
    quoted = [r for r in reactions if r.quote and r.basis is Basis.stated]
    if not quoted:
        return None
    reaction = min(quoted, key=lambda r: (len(r.quote), r.slug))
    text, shortened = short_quote(reaction.quote)
    translation = short_quote(reaction.quote_translation)[0] if reaction.quote_translation else ""
    return EmbedQuote(text=text, speaker=speaker_of(reaction), shortened=shortened, translation=translation)


def _latest(reactions: list[ReactionOut]) -> DateOut | None:
    dated = [r.stated_on for r in reactions if r.stated_on.date is not None]
    return max(dated, key=lambda d: d.date) if dated else None  # type: ignore[arg-type, return-value]


def proposal_embed(session: Session, slug: str, as_of: dt.date | None = None) -> ProposalEmbed:
    return proposal_embed_of(get_proposal(session, slug, as_of), as_of)


def proposal_embed_of(proposal: ProposalDetail, as_of: dt.date | None) -> ProposalEmbed:
    """The embed of a permalink's view data already in hand (the permalink's own panel uses it)."""
    groups = []
    for position in POSITIONS:
        in_group = [r for r in proposal.reactions if effective_position(r) is position]
        names = [actor.label for actor in getattr(proposal.stance, position.value)]
        groups.append(EmbedGroup(position=position, names=names, quote=_quote(in_group, lambda r: r.actor.name)))
    return ProposalEmbed(proposal=proposal, groups=groups, latest=_latest(proposal.reactions), as_of=as_of)


def actor_embed(session: Session, slug: str, as_of: dt.date | None = None) -> ActorEmbed:
    actor = get_actor(session, slug, as_of)
    groups = []
    for position in POSITIONS:
        in_group = [r for r in actor.reactions if effective_position(r) is position]
        titles = list(
            dict.fromkeys(
                (_("%(title)s (proposer)", title=r.proposal.title) if r.proposer else r.proposal.title) + basis_note(r.basis, r.reported_by)
                for r in in_group
            )
        )
        groups.append(EmbedGroup(position=position, names=titles, quote=_quote(in_group, lambda r: actor.name)))
    return ActorEmbed(actor=actor, groups=groups, latest=_latest(actor.reactions), as_of=as_of)  # type: ignore[arg-type]


def default_height(embed: ProposalEmbed | ActorEmbed) -> int:
    """A height (px) that shows the whole widget at 560px wide, for hosts without the resize snippet.

    An estimate from the text lengths (checked against Chromium's layout in the browser tests)."""
    line = 22
    # Brand, title (two lines for a proposal, one for a name), subtitle, date line, link back, padding,
    # and a little to spare: too tall leaves a gap, too short hides the link back.
    height = 240 if isinstance(embed, ActorEmbed) else 250
    for group in embed.groups:
        height += 40  # the group's heading and rule
        if isinstance(embed, ActorEmbed):  # one list item per proposal
            height += sum(line * -(-len(name) // 58) for name in group.names) or line
        else:  # names run on as one line of text
            height += line * max(1, -(-sum(len(n) + 2 for n in group.names) // 62))
        if group.quote:
            height += 26 + line * -(-len(group.quote.text) // 62)
    return max(300, min(height, 1200))
