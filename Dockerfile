# kmc in a container: `docker build -t kmc .`, then
#   docker run --rm -v "$PWD:/work" kmc check deploy/
# The first stage builds the self-contained binary with `make dist` (the same build and tarball
# as a release); the second holds that binary and the Graphviz library `kmc graph -o x.svg`
# loads, on a slim Debian, as a user without privileges.
FROM debian:bookworm AS build
# make dist installs what it needs (scripts/install-deps.sh); git gives `kmc --version` its commit.
RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq make git >/dev/null
WORKDIR /src
COPY . .
RUN make dist && mkdir /out && tar -xzf dist/kmc-*.tar.gz -C /out --strip-components=1

FROM debian:bookworm-slim
RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libgvc6 >/dev/null \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /out/bin/kmc /usr/local/bin/kmc
COPY --from=build /out/share/ /usr/local/share/
RUN useradd --create-home --uid 10001 kmc
USER kmc
WORKDIR /work
ENTRYPOINT ["kmc"]
CMD ["--help"]
