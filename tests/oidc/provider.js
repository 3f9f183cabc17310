// The OpenID Connect provider the sign-in tests run on loopback (oauth2-mock-server).
//
// node provider.js  -> listens on 127.0.0.1 on a port the OS picks, prints one line
// "READY http://127.0.0.1:PORT" and serves discovery, /authorize (which redirects back
// at once with a code: no login form), /token, /userinfo, /jwks and /endsession.
// The issuer is http://127.0.0.1:PORT, the host the dashboard's Authlib fetches it from.
//
// Who signs in next: POST /test/identity with a JSON body of claims
// ({"email": "...", "name": "...", ...}); every later ID token and userinfo answer carries
// them (sub = email), until the next POST. The tests run one browser at a time.
const { OAuth2Server, Events } = require("oauth2-mock-server");

async function main() {
  const server = new OAuth2Server();
  await server.issuer.keys.generate("RS256");
  let claims = { email: "nobody@example.invalid", name: "Nobody" };

  server.service.addRoute("POST", "/test/identity", (req, res) => {
    claims = typeof req.body === "string" ? JSON.parse(req.body) : req.body;
    res.writeHead(204);
    res.end();
  });
  server.service.on(Events.BeforeTokenSigning, (token) => {
    Object.assign(token.payload, claims, { sub: claims.email });
  });
  server.service.on(Events.BeforeUserinfo, (userInfo) => {
    userInfo.body = Object.assign({}, claims, { sub: claims.email });
  });

  await server.start(0, "127.0.0.1");
  // Not "localhost": the issuer must be the host the app fetches discovery from.
  server.issuer.url = `http://127.0.0.1:${server.address().port}`;
  process.stdout.write(`READY ${server.issuer.url}\n`);
  const stop = async () => {
    await server.stop();
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((err) => {
  process.stderr.write(`${err.stack || err}\n`);
  process.exit(1);
});
