"""URLs as browsers read them: the WHATWG URL standard, through Ada (the
parser Node.js uses). Python's urlsplit and its IDNA 2003 codec read some
URLs otherwise: 'http://faß.de/' as fass.de, another domain (browsers go to
xn--fa-hia.de, by UTS-46), and 'http://[v1.evil.example]/' or
'http://evil.example%3a9014/', which no browser opens, as real host names."""
from functools import lru_cache

import ada_url


# The URLs asked about are the few of the activities and the settings, asked
# on every request with an Origin: a parse costs about 10 us, a hit 0.1 us.
@lru_cache(maxsize=1024)
def browser_origin(url):
    """The Origin a browser sends from a page at this http(s) URL, or None
    when it is no URL a browser opens:
    'http://user@Localhost:80/x' -> 'http://localhost',
    'http://faß.de:9009/' -> 'http://xn--fa-hia.de:9009',
    'http://[0:0:0:0:0:0:0:1]:9006/' -> 'http://[::1]:9006',
    'http://0x7f.1/' -> 'http://127.0.0.1'."""
    try:
        parsed = ada_url.URL(url)
    except ValueError:
        return None
    if parsed.protocol not in ("http:", "https:"):
        return None
    return parsed.origin
