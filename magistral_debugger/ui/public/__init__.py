"""Public mode (``MAGISTRAL_PUBLIC=true``): the page served to strangers on the owner's key.

``lockdown`` (the settings a visitor cannot change, and public defaults), ``visitor`` (who is
asking), ``budget`` (what each may spend, in memory) and ``gate`` (the three together, as the
page's handlers use them).
"""

from __future__ import annotations

from .gate import PublicGate
from .lockdown import locked
from .visitor import Visitor

__all__ = ["PublicGate", "Visitor", "locked"]
