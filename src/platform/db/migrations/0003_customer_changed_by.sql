-- Who last changed a customer, shown beside the time (the audit log keeps the whole history).
ALTER TABLE customer ADD COLUMN updated_by_name text;
