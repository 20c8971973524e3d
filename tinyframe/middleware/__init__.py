"""The built-in middleware: layers that every request and response of a site can pass through.

How it works: each module holds one middleware class, named in
``settings.MIDDLEWARE`` by its dotted path. ``security.SecurityMiddleware``
adds the headers that make browsers safer and can send HTTP to HTTPS;
``common.CommonMiddleware`` refuses listed user agents, fixes missing slashes
and ``www.`` and sets Content-Length; ``clickjacking.XFrameOptionsMiddleware``
forbids framing; ``http.ConditionalGetMiddleware`` answers 304 Not Modified;
``gzip.GZipMiddleware`` compresses. All of them are ``MiddlewareMixin``
subclasses (``tinyframe.utils.deprecation``): ``process_request`` on the way
in, ``process_response`` on the way out.
"""
