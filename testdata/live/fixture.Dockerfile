# The fixture image of the live tests: .ci/run builds it in a real dockerd as
# strata-test/fixture:latest (and in podman as localhost/strata-test/fixture:latest).
# Each step makes one kind of layer strata has to get right. The base is a
# busybox rootfs that .ci/run imports, so nothing is pulled.
FROM strata-test/busybox:latest

# 1: the files later steps delete, change and rewrite.
RUN mkdir -p /app /data/cache /data/keep \
 && echo "version: 1" > /app/config.txt \
 && echo "scratch" > /data/remove-me.txt \
 && for i in 1 2 3; do echo "cache entry $i" > /data/cache/entry$i; done \
 && echo "kept" > /data/keep/owned.txt \
 && echo "secret" > /data/keep/mode.txt

# 2: deletions only (whiteouts).
RUN rm /data/remove-me.txt /data/cache/entry1

# 3: a directory removed and recreated (opaque directory).
RUN rm -rf /data/cache && mkdir /data/cache && echo "fresh" > /data/cache/fresh.txt

# 4: chmod only.
RUN chmod 0600 /data/keep/mode.txt

# 5: chown only.
RUN chown 65534:65534 /data/keep/owned.txt

# 6, 7: /app/config.txt rewritten (written in step 1, then twice more).
RUN echo "version: 2" > /app/config.txt
RUN echo "version: 3" > /app/config.txt

# 8: many small files.
RUN mkdir /many && i=0 && while [ $i -lt 2000 ]; do echo "file $i" > /many/f$i.txt; i=$((i+1)); done

# ENV and CMD only: history entries without layers.
ENV STRATA_FIXTURE=1 APP_HOME=/app
CMD ["/bin/sh", "-c", "cat /app/config.txt"]
