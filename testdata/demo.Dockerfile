# The build testdata/demo.tar pretends to come from. It is documentation
# only and is never built: `go run ./internal/cmd/gendemo -o testdata/demo.tar`
# writes the image directly, deterministically, with generated file contents.
#
# Image: strata-demo:latest (docker save tarball, uncompressed layers)
# 9 layers, 15 history entries, about 1.8 MB.
#
# What each step exercises in strata:
#
# FROM              layer 1: a tiny Debian-like rootfs (busybox with symlinks and
#                   a hardlink, /etc account files, os-release symlink, shared
#                   libraries in /usr/lib, docs in /usr/share/doc, a sticky /tmp)
#                   plus the base image's CMD (an empty-layer history entry).
# ENV               empty layer.
# RUN apt-get ...   layer 2: curl and its libraries, CA bundle, apt caches, apt
#                   lists (~330 KB), /var/lib/dpkg/status rewritten.
# RUN rm -rf ...    layer 3: one .wh. whiteout per apt list; the bytes of
#                   layer 2 stay in the image (wasted space).
# RUN groupadd ...  layer 4: /etc/passwd, group, shadow, gshadow rewritten;
#                   /home/app owned by 1000:1000.
# WORKDIR           empty layer.
# COPY app/         layer 5: README.md, config.yaml, run.sh (not executable),
#                   bin/server (binary), static/ assets; all owned 1000:1000.
# RUN chmod +x      layer 6: run.sh again with identical content, mode 0755 only.
# RUN sed (debug)   layer 7: config.yaml rewritten (first time).
# RUN rm -rf static layer 8: static/ removed and recreated: an opaque marker
#                   static/.wh..wh..opq hides layer 5's assets, new assets/.
# RUN sed (warn)    layer 9: config.yaml rewritten (second time).
# USER/EXPOSE/CMD   empty layers.

FROM debian:bookworm-slim

ENV APP_HOME=/app LANG=C.UTF-8

RUN apt-get update && apt-get install -y curl

RUN rm -rf /var/lib/apt/lists/*

RUN groupadd -g 1000 app && useradd -u 1000 -g app -m app

WORKDIR /app

COPY --chown=1000:1000 app/ /app/

RUN chmod +x /app/run.sh

RUN sed -i 's/level: info/level: debug/' config.yaml

RUN rm -rf static && bin/server build-assets --out static

RUN sed -i 's/level: debug/level: warn/' config.yaml

USER app

EXPOSE 8080

CMD ["/app/run.sh"]
