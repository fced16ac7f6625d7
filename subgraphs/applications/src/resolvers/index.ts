import { Alert } from './Alert.js';
import { Product } from './Product.js';
import { ProductInsights } from './ProductInsights.js';
import { Mutation } from './Mutation.js';
import { Query } from './Query.js';
import { Webhook } from './Webhook.js';
import { WebhookDelivery } from './WebhookDelivery.js';

export const resolvers = { Query, Mutation, Product, ProductInsights, Alert, Webhook, WebhookDelivery };
