-- A host application's own table.
CREATE TABLE orders (id uuid PRIMARY KEY, total numeric NOT NULL);
