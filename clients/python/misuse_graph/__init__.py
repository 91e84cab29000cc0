"""misuse-graph for notebooks: disclosed AI misuse as tables.

    from misuse_graph import Client
    client = Client("http://localhost:4000")
    ops = client.operations(filter={"originCountry": ["CN"]})
    by_category = client.stats.by("CATEGORY")
"""

from .client import Client
from .errors import BadParameter, GraphQLError, HTTPError, MisuseGraphError, RateLimited
from .sync import SyncResult
from .tables import HAVE_PANDAS

__all__ = ["Client", "BadParameter", "GraphQLError", "HTTPError", "MisuseGraphError", "RateLimited", "HAVE_PANDAS", "SyncResult"]
__version__ = "0.1.0"
