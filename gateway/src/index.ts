import { closeServer, listen } from '../../lib/http-server.js';
import { createLogger } from '../../lib/logger.js';
import { failStartup, onShutdown } from '../../lib/service.js';
import { loadGatewayConfig } from './config.js';
import { createGateway } from './server.js';

const config = loadGatewayConfig();
const log = createLogger('gateway', config.LOG_LEVEL);

try {
  const gateway = createGateway(config, log);
  const port = await listen(gateway.server, config.GATEWAY_PORT, config.GATEWAY_HOST);
  log.info({ url: `http://${config.GATEWAY_HOST}:${port}/graphql` }, 'gateway ready');
  onShutdown(log, async () => {
    await closeServer(gateway.server);
    await gateway.dispose();
  });
} catch (error) {
  failStartup(log, error);
}
