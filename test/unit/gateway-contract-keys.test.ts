import { describe, expect, it } from 'vitest';
import { gatewayEnv } from '../../gateway/src/config.js';
import { createGateway } from '../../gateway/src/server.js';
import { createLogger } from '../../lib/logger.js';

const key = (contract?: string) => JSON.stringify([{ key: 'contract-test-key-0123456789', name: 'acme', tenantId: 'acme', scopes: ['read'], ...(contract ? { contract } : {}) }]);

describe('API keys served a contract', () => {
  it('a key naming a contract that was never composed stops the gateway at start with the file and the fix', () => {
    const config = gatewayEnv.parse({ API_KEYS: key('resellers') });
    expect(() => createGateway(config, createLogger('test', 'silent'))).toThrowError('API_KEYS names contract "resellers", but schema/contracts/resellers.graphql does not exist: add it to schema/contracts.json and run npm run compose');
  });

  it('a contract name that is not a lowercase slug is a configuration error', () => {
    const parsed = gatewayEnv.safeParse({ API_KEYS: key('Partner Graph') });
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toContain('a contract name from schema/contracts.json');
  });
});
