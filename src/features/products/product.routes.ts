import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { problems } from '../../platform/http/responses.ts';
import { productListQuerySchema, productListSchema, productSchema, productUpsertSchema } from './product.schema.ts';
import type { ProductService } from './product.service.ts';

const tags = ['Products'];

export const productRoutes: FastifyPluginAsyncZod<{ products: ProductService }> = async (app, { products }) => {
  app.get('/products', {
    config: { access: 'sales:read' },
    schema: {
      tags,
      summary: 'List or find products',
      description: 'By exact SKU or the start of a word of the name, A to Z.',
      querystring: productListQuerySchema,
      response: { 200: productListSchema, ...problems(422) },
    },
    handler: async (request) => ({ items: await products.list(request.ctx, request.query) }),
  });

  app.post('/products', {
    config: { access: 'products:manage' },
    schema: {
      tags,
      summary: 'Create or update a product by SKU',
      description: '201 when the SKU is new, 200 when it updated the product with that SKU.',
      body: productUpsertSchema,
      response: { 200: productSchema, 201: productSchema, ...problems(400, 422) },
    },
    handler: async (request, reply) => {
      const { product, created } = await products.upsert(request.ctx, request.body);
      return reply.code(created ? 201 : 200).send(product);
    },
  });
};
